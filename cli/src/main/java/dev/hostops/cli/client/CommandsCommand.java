package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hostops commands}: recent commands, or one command with its result. */
@Command(name = "commands", mixinStandardHelpOptions = true, description = "List recent commands (newest first), or show one.",
        footer = {"", "Examples:", "  hostops commands --node HostOps-Win --status FAILED", "  hostops commands 0193a6c2-... --json"})
public final class CommandsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "Show this command.")
    String id;

    @Option(names = "--node", paramLabel = "NODE") String node;
    @Option(names = "--status", paramLabel = "STATUS", description = "QUEUED, RUNNING, SUCCEEDED, FAILED, REJECTED, ...") String status;
    @Option(names = "--limit", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).") int limit;

    @Override
    public Integer call() {
        try {
            String path = id != null ? "/v1/commands/" + enc(id) : "/v1/commands?limit=" + limit
                    + (node == null ? "" : "&node=" + enc(node)) + (status == null ? "" : "&status=" + enc(status));
            JsonNode data = client.client().get(path);
            if (client.json) {
                System.out.println(data.toPrettyString());
                return 0;
            }
            Table t = new Table("ID", "NODE", "STATUS", "EXIT", "COMMAND", "CREATED");
            for (JsonNode c : Json.items(data, "commands")) {
                t.row(c.path("id").asText(), c.path("node").asText(), c.path("status").asText(),
                        c.path("exitCode").isNumber() ? c.path("exitCode").asText() : "", Json.argv(c), c.path("createdAt").asText());
            }
            t.print();
            return 0;
        } catch (ApiException e) {
            System.err.println("hostops commands: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
