package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hostops cancel ID}: stops a command; a running one has its whole process tree killed. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a command: queued, it never runs; running, its process tree is killed.",
        footer = {"", "Example:", "  hostops cancel 0193a6c2-... --reason 'wrong branch'"})
public final class CancelCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "ID", description = "The command to cancel (the id exec printed; one node's command of a request is <request id>.<node>).")
    String id;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Why: sent to the node, shown in the command's error and kept in the dispatcher's audit log.")
    String reason;

    @Override
    public Integer call() {
        try {
            JsonNode r = client.client().post("/v1/commands/" + CommandsCommand.enc(id) + "/cancel",
                    reason == null ? Map.of() : Map.of("reason", reason));
            System.out.println(client.json ? r.toPrettyString() : "cancel sent for " + id);
            return 0;
        } catch (ApiException e) {
            System.err.println("hostops cancel: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        }
    }
}
