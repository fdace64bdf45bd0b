package dev.hostops.dispatcher.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hostops.broker.testing.MosquittoProcess;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.Cancel;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.sign.Ed25519Keys;
import dev.hostops.contracts.sign.SignatureVerifier;
import dev.hostops.contracts.sign.SigningKey;
import dev.hostops.contracts.sign.VerifyOutcome;
import dev.hostops.dispatcher.testing.Api;
import dev.hostops.dispatcher.testing.Harness;
import dev.hostops.dispatcher.testing.SimulatedNode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dispatcher with {@code signingKey}, on a real Mosquitto: every exec, cancel and approval
 * decision a node receives carries a valid Ed25519 signature by that key.
 */
class SignedPublishTest {
    private static final MessageCodec CODEC = MessageCodec.standard();
    @TempDir
    static Path brokerDir;
    static MosquittoProcess mosquitto;

    @TempDir
    Path dir;
    private final SigningKey key = SigningKey.of(Ed25519Keys.generate().getPrivate());

    @BeforeAll
    static void broker() {
        mosquitto = MosquittoProcess.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    private Path config(String signingKeyLine) throws Exception {
        Path yaml = dir.resolve("dispatcher.yaml");
        Files.writeString(yaml, signingKeyLine + "\n");
        return yaml;
    }

    private VerifyOutcome verify(Message m) {
        SignatureVerifier verifier = new SignatureVerifier(
                id -> id.equals(key.keyId()) ? Optional.of(key.publicKey()) : Optional.empty(), CODEC.mapper());
        return verifier.verify(CODEC.encode(m));
    }

    /** A dispatcher that signs with {@link #key}. */
    private Harness signingDispatcher() throws Exception {
        Path keyFile = dir.resolve("dispatcher.key");
        Files.writeString(keyFile, Ed25519Keys.toPem(key.privateKey()));
        return new Harness(dir.resolve("d"), mosquitto.url(), Duration.ofSeconds(60), config("signingKey: " + keyFile));
    }

    @Test
    void every_message_to_a_node_is_signed() throws Exception {
        String nodeId = "sig-" + UUID.randomUUID().toString().substring(0, 8);
        try (Harness h = signingDispatcher();
             SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.ASK)) {
            Api api = h.api();
            String id = UUID.randomUUID().toString();
            String body = "{\"id\":\"" + id + "\",\"node\":\"" + nodeId + "\",\"argv\":[\"docker\",\"compose\",\"up\"]}";
            Api.Reply submitted = api.post("/v1/commands", Harness.SUBMIT, body);
            assertThat(submitted.status()).as(submitted.raw()).isBetween(200, 202);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.execs().size() == 1);
            Exec exec = node.execs().get(0);
            assertThat(exec.signature()).isNotNull();
            assertThat(exec.signature().keyId()).isEqualTo(key.keyId());
            assertThat(verify(exec)).isEqualTo(VerifyOutcome.valid(key.keyId()));
            // The same command again is the same signed command, not a conflict.
            Api.Reply retry = api.post("/v1/commands", Harness.SUBMIT, body);
            assertThat(retry.status()).as(retry.raw()).isBetween(200, 202);

            node.askApproval(id, List.of("docker", "compose", "up"));
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/approvals?state=pending", Harness.READ).raw().contains(id));
            Api.Reply ok = api.post("/v1/approvals/" + id, Harness.APPROVE, "{\"decision\":\"allow-once\"}");
            assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.received.stream().anyMatch(m -> m instanceof ApprovalDecision));
            ApprovalDecision d = (ApprovalDecision) node.received.stream().filter(m -> m instanceof ApprovalDecision).findFirst().orElseThrow();
            assertThat(d.approver()).isEqualTo("approver"); // the token's name, covered by the signature
            assertThat(verify(d).isValid()).isTrue();

            Api.Reply c = api.post("/v1/commands/" + id + "/cancel", Harness.SUBMIT, "{\"reason\":\"test\"}");
            assertThat(c.status()).as(c.raw()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.received.stream().anyMatch(m -> m instanceof Cancel));
            Cancel cancel = (Cancel) node.received.stream().filter(m -> m instanceof Cancel).findFirst().orElseThrow();
            assertThat(verify(cancel).isValid()).isTrue();
        }
    }

    @Test
    void a_retry_without_expiresAt_publishes_the_first_signed_command_again() throws Exception {
        String nodeId = "sig-" + UUID.randomUUID().toString().substring(0, 8);
        try (Harness h = signingDispatcher();
             SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.SILENT)) {
            Api api = h.api();
            String id = UUID.randomUUID().toString();
            String body = "{\"id\":\"" + id + "\",\"node\":\"" + nodeId + "\",\"argv\":[\"git\",\"fetch\"]}";
            Api.Reply first = api.post("/v1/commands", Harness.SUBMIT, body);
            assertThat(first.status()).as(first.raw()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.execs().size() == 1);
            Thread.sleep(5); // the retry's own deadline would be later: the stored one must win
            Api.Reply retry = api.post("/v1/commands", Harness.SUBMIT, body);
            assertThat(retry.status()).as(retry.raw()).isEqualTo(202);
            assertThat(retry.body().path("expiresAt").asText()).isEqualTo(first.body().path("expiresAt").asText());
            // Still QUEUED, so it is published again: the same signed command, not a re-signed twin.
            await().atMost(Duration.ofSeconds(10)).until(() -> node.execs().size() == 2);
            assertThat(node.execs().get(1)).isEqualTo(node.execs().get(0));
            assertThat(verify(node.execs().get(1))).isEqualTo(VerifyOutcome.valid(key.keyId()));
        }
    }

    @Test
    void without_a_key_messages_go_unsigned_and_a_bad_key_file_stops_the_start() throws Exception {
        String nodeId = "sig-" + UUID.randomUUID().toString().substring(0, 8);
        try (Harness h = new Harness(dir.resolve("plain"), mosquitto.url(), Duration.ofSeconds(60));
             SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.HOLD)) {
            h.api().post("/v1/commands", Harness.SUBMIT, "{\"node\":\"" + nodeId + "\",\"argv\":[\"git\",\"status\"]}");
            await().atMost(Duration.ofSeconds(10)).until(() -> node.execs().size() == 1);
            assertThat(node.execs().get(0).signature()).isNull();
        }
        Path notAKey = dir.resolve("not-a-key.pem");
        Files.writeString(notAKey, "hello\n");
        assertThatThrownBy(() -> new Harness(dir.resolve("bad"), mosquitto.url(), Duration.ofSeconds(60), config("signingKey: " + notAKey)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("signingKey");
    }
}
