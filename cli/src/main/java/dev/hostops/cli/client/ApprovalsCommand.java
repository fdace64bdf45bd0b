package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hostops approvals}: commands waiting for a person's decision. */
@Command(name = "approvals", mixinStandardHelpOptions = true, description = "List approval requests (pending by default).",
        footer = {"", "Examples:", "  hostops approvals", "  hostops approvals --state denied --json"})
public final class ApprovalsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--state", defaultValue = "pending", description = "pending, allowed or denied (default ${DEFAULT-VALUE}).") String state;

    @Override
    public Integer call() {
        try {
            JsonNode data = client.client().get("/v1/approvals?state=" + CommandsCommand.enc(state));
            if (client.json) {
                System.out.println(data.toPrettyString());
                return 0;
            }
            Table t = new Table("ID", "NODE", "STATE", "PROGRAM", "ARGV", "WHY", "DEADLINE");
            for (JsonNode a : Json.items(data, "approvals")) {
                t.row(a.path("id").asText(), a.path("node").asText(), a.path("state").asText(),
                        a.path("resolvedExecutable").asText(), Json.argv(a), a.path("reason").asText(), a.path("deadline").asText());
            }
            t.print();
            return 0;
        } catch (ApiException e) {
            System.err.println("hostops approvals: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        }
    }
}
