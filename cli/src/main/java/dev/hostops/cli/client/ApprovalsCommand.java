package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hostops approvals}: commands waiting for a person's decision. */
@Command(name = "approvals", mixinStandardHelpOptions = true, description = "List approval requests (pending by default).",
        footer = {"", "Examples:", "  hostops approvals", "  hostops approvals --state denied --json", "  hostops approvals --state all",
                "  hostops approvals -f          # then each new request as it comes, until Ctrl-C"})
public final class ApprovalsCommand implements Callable<Integer> {
    private static final long MAX_BACKOFF_MS = 10_000;

    @Mixin
    ClientOptions client;

    @Option(names = "--state", defaultValue = "pending", description = "pending, allowed, denied, unanswered or all (default ${DEFAULT-VALUE}).") String state;

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
                            a.path("resolvedExecutable").asText(), Json.envAndArgv(a), a.path("reason").asText(), Json.instant(a.path("deadline").asText()));
                }
                t.print();
            }
            return follow ? follow(api, ids(data)) : 0;
        } catch (ApiException e) {
            System.err.println("hostops approvals: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        }
    }

    private static Set<String> ids(JsonNode list) {
        Set<String> ids = new HashSet<>();
        for (JsonNode a : Json.items(list, "approvals")) {
            ids.add(a.path("id").asText());
        }
        return ids;
    }

    /**
     * New requests from the live events, until {@link #limit} of them. A broken stream is opened
     * again where it left ({@code Last-Event-ID}); when the dispatcher cannot tell what was missed
     * (it restarted, or too much happened), it says {@code reset} and the pending requests are
     * listed again, so none made meanwhile goes unseen. Each request is shown once.
     */
    private int follow(ApiClient api, Set<String> listed) throws ApiException, InterruptedException {
        int[] shown = {0};
        Set<String> seen = new HashSet<>(listed);
        AtomicReference<String> lastId = new AtomicReference<>();
        Backoff backoff = new Backoff(MAX_BACKOFF_MS);
        while (limit == null || shown[0] < limit) {
            try {
                api.stream("/v1/events", lastId, (event, e) -> {
                    if ("reset".equals(event)) {
                        for (JsonNode a : pendingNow(api)) {
                            if (seen.add(a.path("id").asText()) && !showAndCount(asEvent(a), shown)) {
                                return false;
                            }
                        }
                        return true;
                    }
                    if (!"approval_request".equals(event) || !seen.add(e.path("id").asText())) {
                        return true;
                    }
                    return showAndCount(e, shown);
                });
                backoff.reset();
            } catch (UncheckedApiException e) {
                throw e.getCause();
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

    /** Shows one request; false once {@link #limit} are shown. */
    private boolean showAndCount(JsonNode event, int[] shown) {
        show(event);
        shown[0]++;
        return limit == null || shown[0] < limit;
    }

    private static List<JsonNode> pendingNow(ApiClient api) {
        try {
            return Json.items(api.get("/v1/approvals?state=pending"), "approvals");
        } catch (ApiException e) {
            throw new UncheckedApiException(e);
        }
    }

    /** A listed approval in the shape of its {@code approval_request} event, to show it the same way. */
    private static JsonNode asEvent(JsonNode approval) {
        ObjectNode e = ApiClient.JSON.createObjectNode();
        e.put("id", approval.path("id").asText());
        e.put("node", approval.path("node").asText());
        e.put("at", approval.path("requestedAt").asText());
        e.set("data", approval);
        return e;
    }

    /** Carries an ApiException out of a stream callback. */
    private static final class UncheckedApiException extends RuntimeException {
        UncheckedApiException(ApiException cause) {
            super(cause);
        }

        @Override
        public synchronized ApiException getCause() {
            return (ApiException) super.getCause();
        }
    }

    private void show(JsonNode event) {
        JsonNode a = event.path("data");
        if (client.json) {
            System.out.println(a.toString());
            return;
        }
        String id = event.path("id").asText();
        System.out.println(Json.instant(event.path("at").asText()) + "  " + event.path("node").asText() + "  " + id + "  asks: "
                + a.path("reason").asText() + "  " + Json.envAndArgv(a)
                + "  (until " + Json.instant(a.path("deadline").asText()) + ")");
        System.out.println("  " + ApproveCommand.answerLine(id));
        System.out.flush();
    }
}
