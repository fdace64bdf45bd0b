package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hostops logs ID [-f]}: a command's output so far, or followed live until its result. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a command's output; -f follows it live until the result.",
        footer = {"", "With -f it then says on stderr how the command ended, and exits as exec --wait",
                "does: the remote exit code, or 124 timed out, 125 expired, 126 rejected,",
                "127 lost, 130 cancelled, 2 for a client-side error, 75 when following broke",
                "off before the end.",
                "", "Examples:", "  hostops logs 0193a6c2-...", "  hostops logs -f 0193a6c2-..."})
public final class LogsCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "ID", description = "The command's id, as exec printed it (or hostops commands lists it).") String id;

    @Option(names = {"-f", "--follow"}, description = "Keep streaming until the command finishes.") boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        try {
            ApiClient api = client.client();
            String path = "/v1/commands/" + CommandsCommand.enc(id) + "/logs";
            if (follow) {
                // Through broken streams, saying when it waits for an approval; then how it ended, with
                // exec --wait's exit code (75 if it could not see the end).
                JsonNode c = new CommandFollower(api, System.err, "hostops logs", id).follow();
                System.out.flush();
                return CommandFollower.outcome(c, System.err, "hostops logs");
            }
            JsonNode data = api.get(path);
            if (client.json) {
                System.out.println(data.toPrettyString());
                return 0;
            }
            for (JsonNode chunk : Json.items(data, "chunks")) {
                write(chunk);
            }
            return 0;
        } catch (ApiException e) {
            System.err.println("hostops logs: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        }
    }

    /** Writes a log chunk's bytes to stdout or stderr, decoding base64 when that is how they came. */
    static void write(JsonNode chunk) {
        String data = chunk.path("data").asText("");
        byte[] bytes = "base64".equals(chunk.path("encoding").asText())
                ? Base64.getDecoder().decode(data) : data.getBytes(StandardCharsets.UTF_8);
        PrintStream out = "stderr".equals(chunk.path("stream").asText()) ? System.err : System.out;
        out.write(bytes, 0, bytes.length);
        out.flush();
    }
}
