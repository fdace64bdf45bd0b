package dev.hostops.node.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.sign.Ed25519Keys;
import dev.hostops.contracts.sign.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The openssl + jq script of docs/SIGNING.md, taken from the page as it is, signs and publishes a raw
 * exec to a real node agent that requires signatures: it runs. The same message published unsigned is
 * refused. Skipped when openssl, jq, sha256sum or mosquitto_pub is missing.
 */
class SigningDocScriptTest {
    @TempDir
    Path tmp;

    @Test
    void the_documented_script_signs_a_raw_exec_that_the_node_runs() throws Exception {
        for (String tool : List.of("openssl", "jq", "sha256sum", "mosquitto_pub")) {
            assumeTrue(run(tmp, "sh", "-c", "command -v " + tool) == 0, tool + " is not installed; the docs script test is skipped");
        }
        Path script = tmp.resolve("sign-and-publish.sh");
        Files.writeString(script, scriptFromDocs());
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        assertThat(run(tmp, "openssl", "genpkey", "-algorithm", "ed25519", "-out", "tier2.key")).isZero();
        SigningKey key = SigningKey.load(tmp.resolve("tier2.key"));

        Path root = tmp.toRealPath();
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path marker = bin.resolve("marker");
        Files.writeString(marker, "#!/bin/sh\ntouch \"$1\"\n");
        Files.setPosixFilePermissions(marker, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("tier2.pub"), Ed25519Keys.toPem(key.publicKey()));
        Files.writeString(root.resolve("policy.yaml"), "security: allowlist\nask: off\nrequireSignature: true\n"
                + "trustedKeys:\n  - name: tier2\n    file: tier2.pub\nallow:\n  - path: \"" + bin + "/*\"\n");

        try (SignedNode n = new SignedNode(root.resolve("policy.yaml"), root.resolve("data"))) {
            BrokerUrl broker = SignedNode.broker();
            String id = UUID.randomUUID().toString();
            Path ran = root.resolve("ran-" + id);
            Files.writeString(root.resolve("exec.json"), "{\"v\":1, \"type\":\"exec\", \"id\":\"" + id + "\", \"node\":\"" + n.node
                    + "\",\n \"argv\":[\"" + marker + "\", \"" + ran + "\"], \"timeoutMs\": 60000, \"expiresAt\": \"" + java.time.Instant.now().plusSeconds(300).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\", \"labels\": {\"via\": \"script\"}}\n");
            ProcessBuilder pb = new ProcessBuilder("./sign-and-publish.sh", "tier2.key", n.node, "exec.json").directory(root.toFile())
                    .redirectErrorStream(true);
            pb.environment().put("MQTT_HOST", broker.host());
            pb.environment().put("MQTT_PORT", Integer.toString(broker.port()));
            assertThat(run(pb)).isZero();
            Result r = n.awaitResult(id);
            assertThat(r.status()).as(String.valueOf(r.error())).isEqualTo(CommandStatus.SUCCEEDED);
            assertThat(ran).exists();

            String unsignedId = UUID.randomUUID().toString();
            String unsigned = "{\"v\":1,\"type\":\"exec\",\"id\":\"" + unsignedId + "\",\"node\":\"" + n.node
                    + "\",\"argv\":[\"" + marker + "\",\"" + root.resolve("unsigned") + "\"]}";
            assertThat(run(root, "mosquitto_pub", "-h", broker.host(), "-p", Integer.toString(broker.port()), "-q", "1",
                    "-t", "hostops/v1/node/" + n.node + "/cmd", "-m", unsigned)).isZero();
            Result refused = n.awaitResult(unsignedId);
            assertThat(refused.error().code()).isEqualTo("BAD_SIGNATURE");
            assertThat(root.resolve("unsigned")).doesNotExist();
        }
    }

    private static String scriptFromDocs() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/SIGNING.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/SIGNING.md above the working directory").isNotNull();
        String doc = Files.readString(dir.resolve("docs/SIGNING.md"));
        int start = doc.indexOf("<!-- sign-and-publish.sh:start");
        int end = doc.indexOf("<!-- sign-and-publish.sh:end");
        assertThat(start).as("script markers in docs/SIGNING.md").isPositive();
        String block = doc.substring(start, end);
        return block.substring(block.indexOf("```sh\n") + 6, block.lastIndexOf("```"));
    }

    private static int run(Path dir, String... command) throws Exception {
        return run(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true));
    }

    private static int run(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", pb.command()) + " did not finish");
        }
        if (p.exitValue() != 0 && !pb.command().get(0).equals("sh")) {
            System.err.println(String.join(" ", pb.command()) + ": " + out);
        }
        return p.exitValue();
    }
}
