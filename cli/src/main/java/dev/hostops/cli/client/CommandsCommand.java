package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hostops.contracts.ContractViolation;
import dev.hostops.contracts.NodeId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hostops commands}: recent commands, or one command with its result, or a request to many nodes. */
@Command(name = "commands", mixinStandardHelpOptions = true,
        description = {"List recent commands (newest first), or show one.",
                "Given the id of a request to many nodes, shows its state and each node's status."},
        footer = {"", "Examples:", "  hostops commands --node HostOps-Win --status FAILED", "  hostops commands 0193a6c2-... --json",
                "  hostops commands --request 0193a6c2-... --status FAILED"})
public final class CommandsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "Show this command.")
    String id;

    @Option(names = "--node", paramLabel = "NODE", description = "Only the commands sent to this node.") String node;
    @Option(names = "--status", paramLabel = "STATUS", description = "QUEUED, RUNNING, SUCCEEDED, FAILED, REJECTED, ...") String status;
    @Option(names = "--request", paramLabel = "REQUEST", description = "Only the commands of this request to many nodes.") String request;
    @Option(names = "--limit", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).") int limit;

    @Override
    public Integer call() {
        try {
            if (node != null) {
                NodeId.require(node, "--node");
            }
        } catch (ContractViolation e) {
            // The dispatcher's 400 would name its query parameter, not the option typed.
            System.err.println("hostops commands: invalid node id: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        }
        try {
            // A request's view without each command (only its status) unless the JSON is wanted.
            String path = id != null ? "/v1/commands/" + enc(id) + (client.json ? "" : "?details=false")
                    : "/v1/commands?limit=" + limit + (node == null ? "" : "&node=" + enc(node))
                    + (status == null ? "" : "&status=" + enc(status)) + (request == null ? "" : "&requestId=" + enc(request));
            JsonNode data = client.client().get(path);
            if (client.json) {
                System.out.println(data.toPrettyString());
                return 0;
            }
            if (data.has("invocations")) {
                System.out.println("request " + data.path("requestId").asText() + "  " + data.path("state").asText() + "  "
                        + FanOutExec.counts(data));
                Table t = new Table("NODE", "STATUS", "COMMAND");
                data.path("invocations").forEach(i -> t.row(i.path("node").asText(), i.path("status").asText(),
                        i.path("commandId").asText()));
                t.print();
                return 0;
            }
            Table t = new Table("ID", "NODE", "STATUS", "EXIT", "COMMAND", "CREATED");
            for (JsonNode c : Json.items(data, "commands")) {
                t.row(c.path("id").asText(), c.path("node").asText(), c.path("status").asText(),
                        c.path("exitCode").isNumber() ? c.path("exitCode").asText() : "", Json.argv(c), c.path("createdAt").asText());
            }
            t.print();
            if (id != null) {
                printDetails(data);
            }
            return 0;
        } catch (ApiException e) {
            System.err.println("hostops commands: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        }
    }

    /** What one command's view says beyond its row: why it did not run, its approval, a result after LOST. */
    private static void printDetails(JsonNode c) {
        JsonNode error = c.path("error");
        if (error.isObject()) {
            System.out.println("error: " + error.path("code").asText() + ": " + error.path("message").asText());
        }
        JsonNode approval = c.path("approval");
        if (approval.isObject()) {
            System.out.println("approval: " + approval.path("state").asText() + " (" + approval.path("reason").asText() + ")"
                    + (approval.path("decision").isTextual() ? ", " + approval.path("decision").asText() + " by "
                    + approval.path("decidedBy").asText("?") : ", until " + Json.instant(approval.path("deadline").asText())));
        }
        JsonNode late = c.path("lateResult");
        if (late.isObject()) {
            JsonNode r = late.path("result");
            System.out.println("later: the node reported " + late.path("status").asText()
                    + (r.path("exitCode").isNumber() ? " (exit " + r.path("exitCode").asInt() + ")" : "")
                    + " at " + late.path("receivedAt").asText() + ", after the dispatcher had declared it "
                    + c.path("status").asText() + "; kept as an anomaly, the status stands");
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
