package dev.hostops.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.codec.MessageFormatException;
import dev.hostops.contracts.sign.MessageSignatures;
import dev.hostops.contracts.sign.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hostops keys sign --key K FILE}: prints the message with its {@code signature}, for clients
 * that publish straight to the broker. The message is checked by the codec first, so a message the
 * node would refuse anyway is not signed.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Sign a message (exec, cancel, approval_decision JSON) and print it with its signature, one line.",
        footer = {"", "Example:",
                "  hostops keys sign --key tier2.key exec.json | mosquitto_pub -q 1 -t hostops/v1/node/HostOps-Win/cmd -s"})
public final class KeysSignCommand implements Callable<Integer> {
    @Option(names = "--key", paramLabel = "FILE", required = true, description = "The private key (PKCS#8 PEM).")
    Path key;

    @Parameters(paramLabel = "FILE", description = "The message as JSON; - reads standard input.")
    String file;

    @Override
    public Integer call() throws IOException, MessageFormatException {
        byte[] json = "-".equals(file) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        MessageCodec codec = MessageCodec.standard();
        codec.decode(json); // refuse what no node would accept, with the codec's own message
        JsonNode tree = codec.mapper().readTree(json);
        if ("exec".equals(tree.path("type").asText()) && tree.path("expiresAt").isMissingNode()) {
            System.err.println("hostops keys sign: warning: the exec has no expiresAt; nodes that require signatures refuse it"
                    + " (INVALID_FIELD): add one at most 7 days ahead");
        }
        SigningKey signingKey = SigningKey.load(key);
        ObjectNode signed = MessageSignatures.signInPlace((ObjectNode) tree, signingKey);
        System.out.println(new String(codec.mapper().writeValueAsBytes(signed), StandardCharsets.UTF_8));
        return 0;
    }
}
