package dev.hostops.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.cli.Main;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.sign.Ed25519Keys;
import dev.hostops.contracts.sign.SignatureVerifier;
import dev.hostops.contracts.sign.SigningKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hostops keys generate} and {@code hostops keys sign} through {@link Main#run}, as a user calls them. */
class KeysCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    @Test
    void generate_writes_an_owner_only_key_and_prints_the_policy_entry_then_sign_makes_a_message_nodes_accept() throws Exception {
        assertThat(Main.run("keys", "generate", "--out", dir.toString(), "--name", "tier2")).isZero();
        Path key = dir.resolve("tier2.key");
        Path pub = dir.resolve("tier2.pub");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        SigningKey signing = SigningKey.load(key);
        PublicKey publicKey = Ed25519Keys.readPublic(Files.readString(pub));
        assertThat(Ed25519Keys.keyId(publicKey)).isEqualTo(signing.keyId());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("key id:      " + signing.keyId(), "requireSignature: true", "    id: " + signing.keyId(),
                "    file: tier2.pub", "    canSubmit: true");

        // Never overwrites a key.
        assertThat(Main.run("keys", "generate", "--out", dir.toString(), "--name", "tier2")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("exists");

        Path exec = dir.resolve("exec.json");
        Files.writeString(exec, "{\"v\":1,\"type\":\"exec\",\"id\":\"01JDQ7M3ZK4N8VYQ2W5X6T9R0C\",\"node\":\"HostOps-Win\",\n"
                + "  \"argv\":[\"git\",\"status\",\"--porcelain\"]}\n");
        out.reset();
        assertThat(Main.run("keys", "sign", "--key", key.toString(), exec.toString())).isZero();
        byte[] signed = out.toString(StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        SignatureVerifier verifier = new SignatureVerifier(
                id -> id.equals(signing.keyId()) ? Optional.of(publicKey) : Optional.empty(), MessageCodec.standard().mapper());
        assertThat(verifier.verify(signed).isValid()).isTrue();

        // A message no node would accept is not signed.
        Files.writeString(exec, "{\"v\":1,\"type\":\"exec\",\"id\":\"x\",\"node\":\"HostOps-Win\",\"argv\":[]}");
        assertThat(Main.run("keys", "sign", "--key", key.toString(), exec.toString())).isEqualTo(2);
    }
}
