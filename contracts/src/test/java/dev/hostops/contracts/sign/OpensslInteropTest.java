package dev.hostops.contracts.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Signature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheme with openssl on the other side, as docs/SIGNING.md shows it: keys made by openssl are read
 * here and the reverse, a signature made by {@code openssl pkeyutl -sign -rawin} verifies in Java and a
 * Java signature verifies in openssl, and openssl's key id recipe gives the same id. Skipped when
 * openssl 3 (for Ed25519 with -rawin) is not installed.
 */
class OpensslInteropTest {
    private static final MessageCodec CODEC = MessageCodec.standard();
    @TempDir
    Path dir;

    @BeforeAll
    static void needsOpenssl() {
        boolean ok;
        try {
            ok = run(Path.of("."), null, "openssl", "version").startsWith("OpenSSL 3");
        } catch (IOException | RuntimeException e) {
            ok = false;
        }
        assumeTrue(ok, "openssl 3 is not installed here; the openssl interop test is skipped");
    }

    @Test
    void openssl_key_and_signature_verify_in_java() throws Exception {
        run(dir, null, "openssl", "genpkey", "-algorithm", "ed25519", "-out", "k.key");
        run(dir, null, "openssl", "pkey", "-in", "k.key", "-pubout", "-out", "k.pub");
        SigningKey javaView = SigningKey.load(dir.resolve("k.key"));
        assertThat(Ed25519Keys.keyId(Ed25519Keys.readPublic(Files.readString(dir.resolve("k.pub")))))
                .isEqualTo(javaView.keyId());
        // The key id recipe of the docs, in a shell.
        String shellId = run(dir, null, "sh", "-c",
                "openssl pkey -pubin -in k.pub -outform DER | tail -c 32 | sha256sum | cut -c1-16").strip();
        assertThat(shellId).isEqualTo(javaView.keyId());

        ObjectNode exec = CODEC.toTree(Exec.of("01JDQ7M3ZK4N8VYQ2W5X6T9R0C", "HostOps-Win", List.of("git", "status")));
        Files.write(dir.resolve("input"), MessageSignatures.signingInput(exec));
        run(dir, null, "openssl", "pkeyutl", "-sign", "-rawin", "-inkey", "k.key", "-in", "input", "-out", "sig");
        Signature sig = new Signature(MessageSignatures.ALG, shellId,
                Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("sig"))));
        assertThat(MessageSignatures.verify(exec, sig, javaView.publicKey())).isTrue();
        // The same bytes as Java's own signature: Ed25519 is deterministic.
        assertThat(sig).isEqualTo(MessageSignatures.sign(exec, javaView));
    }

    @Test
    void java_key_and_signature_verify_in_openssl() throws Exception {
        SigningKey key = SigningKey.of(Ed25519Keys.generate().getPrivate());
        Files.writeString(dir.resolve("j.key"), Ed25519Keys.toPem(key.privateKey()));
        Files.writeString(dir.resolve("j.pub"), Ed25519Keys.toPem(key.publicKey()));
        ObjectNode cancel = CODEC.mapper().createObjectNode().put("v", 1).put("type", "cancel")
                .put("id", "01JDQ7M3ZK4N8VYQ2W5X6T9R0C").put("node", "HostOps-Win").put("reason", "\u20ac \"quoted\"");
        Signature sig = MessageSignatures.sign(cancel, key);
        Files.write(dir.resolve("input"), MessageSignatures.signingInput(cancel));
        Files.write(dir.resolve("sig"), Base64.getDecoder().decode(sig.value()));
        String out = run(dir, null, "openssl", "pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", "j.pub",
                "-in", "input", "-sigfile", "sig");
        assertThat(out).contains("Signature Verified Successfully");
        // openssl reads the Java private key file too and derives the same public key.
        String pub = run(dir, null, "openssl", "pkey", "-in", "j.key", "-pubout");
        assertThat(pub.strip()).isEqualTo(Ed25519Keys.toPem(key.publicKey()).strip());
    }

    @Test
    void the_docs_jq_recipe_gives_the_canonical_form_for_hostops_messages() throws Exception {
        assumeTrue(available("jq"), "jq is not installed; skipped");
        Exec e = Exec.of("01JDQ7M3ZK4N8VYQ2W5X6T9R0C", "HostOps-Win", List.of("git", "fetch", "--all"))
                .withEnv(Map.of("GIT_TERMINAL_PROMPT", "0")).withTimeoutMs(600_000L).withWorkdir("C:\\OpenClaw");
        String pretty = CODEC.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(CODEC.toTree(e));
        Files.writeString(dir.resolve("exec.json"), pretty);
        String jq = run(dir, null, "sh", "-c", "jq -cjS 'del(.signature)' exec.json");
        assertThat(jq).isEqualTo(new String(MessageSignatures.signingInput(CODEC.toTree(e)), StandardCharsets.UTF_8));
    }

    private static boolean available(String tool) {
        try {
            run(Path.of("."), null, "sh", "-c", "command -v " + tool);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static String run(Path dir, byte[] stdin, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin);
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            p.destroyForcibly();
        }
    }

}
