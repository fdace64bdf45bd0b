package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hostops approvals}: commands waiting for a person's decision. */
@Command(name = "approvals", mixinStandardHelpOptions = true, description = "List approval requests (pending by default).",
        footer = {"", "Examples:", "  hostops approvals", "  hostops approvals --state denied --json",
                "  hostops approvals -f          # then each new request as it comes, until Ctrl-C"})
public final class ApprovalsCommand implements Callable<Integer> {
    private static final long MAX_BACKOFF_MS = 10_000;

    @Mixin
    ClientOptions client;

    @Option(names = "--state", defaultValue = "pending", description = "pending, allowed or denied (default ${DEFAULT-VALUE}).") String state;

    @Option(names = {"-f", "--follow"}, description = "After the list, print each new approval request as the dispatcher sees it, with the command that answers it (--json: one JSON object per line).")
    boolean follow;

    @Option(names = "--limit", paramLabel = "N", description = "With --follow: stop after N new requests (default: never).")
    Integer limit;

    @Override
    public Integer call() throws InterruptedException {
        if (limit != null && (!follow || limit < 1)) {
            System.err.println("hostops approvals: --limit takes a positive number and goes with --follow");
            return ExitCodes.CLIENT_ERROR;
        }
        try {
            ApiClient api = client.client();
            JsonNode data = api.get("/v1/approvals?state=" + CommandsCommand.enc(state));
            if (client.json) {
                System.out.println(follow ? data.toString() : data.toPrettyString());
            } else {
                Table t = new Table("ID", "NODE", "STATE", "PROGRAM", "ENV AND ARGV", "WHY", "DEADLINE");
                for (JsonNode a : Json.items(data, "approvals")) {
                    t.row(a.path("id").asText(), a.path("node").asText(), a.path("state").asText(),
                            a.path("resolvedExecutable").asText(), Json.envAndArgv(a), a.path("reason").asText(), a.path("deadline").asText());
                }
                t.print();
            }
            return follow ? follow(api) : 0;
        } catch (ApiException e) {
            System.err.println("hostops approvals: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        }
    }

    /** New requests from the live events, through broken streams, until {@link #limit} of them. */
    private int follow(ApiClient api) throws ApiException, InterruptedException {
        int[] shown = {0};
        Backoff backoff = new Backoff(MAX_BACKOFF_MS);
        while (limit == null || shown[0] < limit) {
            try {
                api.stream("/v1/events", (event, e) -> {
                    if (!"approval_request".equals(event)) {
                        return true;
                    }
                    show(e);
                    shown[0]++;
                    return limit == null || shown[0] < limit;
                });
                backoff.reset();
            } catch (ApiException e) {
                if (!"UNREACHABLE".equals(e.code())) {
                    throw e;
                }
                System.err.println("hostops approvals: the event stream broke (" + e.getMessage() + "); following again ...");
                backoff.pause();
            }
        }
        return 0;
    }

    private void show(JsonNode event) {
        JsonNode a = event.path("data");
        if (client.json) {
            System.out.println(a.toString());
            return;
        }
        String id = event.path("id").asText();
        System.out.println(event.path("at").asText() + "  " + event.path("node").asText() + "  " + id + "  asks: "
                + a.path("reason").asText() + "  " + Json.envAndArgv(a)
                + "  (until " + a.path("deadline").asText() + ")");
        System.out.println("  " + ApproveCommand.answerLine(id));
        System.out.flush();
    }
}
