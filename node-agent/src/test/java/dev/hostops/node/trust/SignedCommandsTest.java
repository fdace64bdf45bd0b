package dev.hostops.node.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.sign.Ed25519Keys;
import dev.hostops.contracts.sign.MessageSignatures;
import dev.hostops.contracts.sign.MessageSigner;
import dev.hostops.contracts.sign.SigningKey;
import dev.hostops.node.AgentState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node agent with {@code requireSignature: true} on a real broker, real Ed25519 keys: a signed
 * command runs; unsigned, tampered, wrongly signed, untrusted, expired and replayed ones are REJECTED
 * with their own code and the program (which would leave a marker file) never starts.
 */
class SignedCommandsTest {
    private static final MessageCodec CODEC = MessageCodec.standard();

    @TempDir
    Path tmp;
    private Path bin;
    private Path work;
    private Path marker;
    private final SigningKey submitter = SigningKey.of(Ed25519Keys.generate().getPrivate());
    private final SigningKey approver = SigningKey.of(Ed25519Keys.generate().getPrivate());
    private final SigningKey stranger = SigningKey.of(Ed25519Keys.generate().getPrivate());

    @BeforeEach
    void host() throws Exception {
        Path root = tmp.toRealPath();
        bin = Files.createDirectories(root.resolve("bin"));
        work = Files.createDirectories(root.resolve("work"));
        marker = bin.resolve("marker");
        // The program every command runs: it leaves a file named by its argument, so a run cannot go unseen.
        Files.writeString(marker, "#!/bin/sh\ntouch \"$1\"\necho ran \"$1\"\n");
        Files.setPosixFilePermissions(marker, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("keys-submit.pub"), Ed25519Keys.toPem(submitter.publicKey()));
        String approverPem = Ed25519Keys.toPem(approver.publicKey()).strip().replace("\n", "\n      ");
        Files.writeString(root.resolve("policy.yaml"), String.join("\n",
                "security: allowlist",
                "ask: on-miss",
                "approvalTimeout: 30s",
                "requireSignature: true",
                "trustedKeys:",
                "  - name: dispatcher",
                "    file: keys-submit.pub",
                "    id: " + submitter.keyId(),
                "    canSubmit: true",
                "  - name: ops-approver",
                "    canSubmit: false",
                "    canApprove: true",
                "    publicKey: |",
                "      " + approverPem,
                "allow:",
                "  - path: \"" + bin + "/*\"",
                ""));
    }

    private Exec exec(String id, String node, String mark) {
        return Exec.of(id, node, List.of(marker.toString(), work.resolve(mark).toString()))
                .withExpiresAt(Instant.now().plus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS));
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static byte[] signed(Exec e, SigningKey key) {
        return CODEC.encode(new MessageSigner(key, CODEC).sign(e));
    }

    private void assertRefused(SignedNode n, String id, String code, String... marks) {
        Result r = n.awaitResult(id);
        assertThat(r.status()).as(id).isEqualTo(CommandStatus.REJECTED);
        assertThat(r.error().code()).as(r.error().message()).isEqualTo(code);
        for (String m : marks) {
            assertThat(work.resolve(m)).as("marker " + m + ": the program must not have started").doesNotExist();
        }
    }

    @Test
    void only_commands_signed_by_a_trusted_submit_key_run() throws Exception {
        try (SignedNode n = new SignedNode(tmp.resolve("policy.yaml"), tmp.resolve("data"))) {
            // signed by the trusted submit key: runs
            String ok = newId();
            byte[] okWire = signed(exec(ok, n.node, "ok"), submitter);
            n.publish(Topics.Kind.CMD, okWire);
            Result r = n.awaitResult(ok);
            assertThat(r.status()).as(String.valueOf(r.error())).isEqualTo(CommandStatus.SUCCEEDED);
            assertThat(work.resolve("ok")).exists();

            // unsigned: what a raw client that does not sign publishes
            String unsigned = newId();
            n.publish(Topics.Kind.CMD, CODEC.encode(exec(unsigned, n.node, "unsigned")));
            assertRefused(n, unsigned, "BAD_SIGNATURE", "unsigned");

            // tampered: one byte of argv changed after signing
            String tampered = newId();
            String wire = new String(signed(exec(tampered, n.node, "tampered"), submitter), StandardCharsets.UTF_8);
            n.publish(Topics.Kind.CMD, wire.replace("/tampered\"", "/tamperex\"").getBytes(StandardCharsets.UTF_8));
            assertRefused(n, tampered, "BAD_SIGNATURE", "tampered", "tamperex");

            // wrong key: names the trusted key's id, signed by another key
            String wrong = newId();
            ObjectNode forged = CODEC.toTree(exec(wrong, n.node, "wrong"));
            MessageSignatures.signInPlace(forged, stranger);
            ((ObjectNode) forged.get("signature")).put("keyId", submitter.keyId());
            n.publish(Topics.Kind.CMD, CODEC.mapper().writeValueAsBytes(forged));
            assertRefused(n, wrong, "BAD_SIGNATURE", "wrong");

            // a key the node does not know
            String untrusted = newId();
            n.publish(Topics.Kind.CMD, signed(exec(untrusted, n.node, "untrusted"), stranger));
            assertRefused(n, untrusted, "UNTRUSTED_KEY", "untrusted");

            // a trusted key that may only approve, not submit
            String approveOnly = newId();
            n.publish(Topics.Kind.CMD, signed(exec(approveOnly, n.node, "approve-only"), approver));
            assertRefused(n, approveOnly, "UNTRUSTED_KEY", "approve-only");

            // expired: signed, but its delivery deadline has passed
            String expired = newId();
            n.publish(Topics.Kind.CMD, signed(exec(expired, n.node, "expired").withExpiresAt(Instant.now().minusSeconds(60)), submitter));
            Result ex = n.awaitResult(expired);
            assertThat(ex.status()).isEqualTo(CommandStatus.EXPIRED);
            assertThat(ex.error().code()).isEqualTo("EXPIRED");
            assertThat(work.resolve("expired")).doesNotExist();

            // ... and its deadline moved after signing: the signature no longer matches
            String extended = newId();
            Instant past = Instant.parse("2020-01-01T00:00:00Z");
            String old = new String(signed(exec(extended, n.node, "extended").withExpiresAt(past), submitter), StandardCharsets.UTF_8);
            n.publish(Topics.Kind.CMD, old.replace("2020-01-01", "2099-01-01").getBytes(StandardCharsets.UTF_8));
            assertRefused(n, extended, "BAD_SIGNATURE", "extended");

            // no delivery deadline, or one too far ahead: a captured command could outlive the node's memory of its id
            String noDeadline = newId();
            n.publish(Topics.Kind.CMD, signed(exec(noDeadline, n.node, "no-deadline").withExpiresAt(null), submitter));
            assertRefused(n, noDeadline, "INVALID_FIELD", "no-deadline");
            String farAhead = newId();
            n.publish(Topics.Kind.CMD, signed(exec(farAhead, n.node, "far").withExpiresAt(Instant.now().plus(Duration.ofDays(30))), submitter));
            assertRefused(n, farAhead, "INVALID_FIELD", "far");

            // replay: the id of the command that ran, other content, validly signed
            n.publish(Topics.Kind.CMD, signed(exec(ok, n.node, "replayed"), submitter));
            List<Result> okResults = n.awaitResults(ok, 2);
            assertThat(okResults.get(1).status()).isEqualTo(CommandStatus.REJECTED);
            assertThat(okResults.get(1).error().code()).isEqualTo("REPLAY");
            assertThat(work.resolve("replayed")).doesNotExist();
            // The stored record is untouched: a redelivery of the original answers with the original result.
            n.publish(Topics.Kind.CMD, okWire);
            List<Result> again = n.awaitResults(ok, 3);
            assertThat(again.get(2).status()).isEqualTo(CommandStatus.SUCCEEDED);
            assertThat(again.get(2).stdoutTail()).isEqualTo(r.stdoutTail());

            // A refused id was never claimed: the real command with that id still runs.
            n.publish(Topics.Kind.CMD, signed(exec(unsigned, n.node, "unsigned-then-signed"), submitter));
            List<Result> later = n.awaitResults(unsigned, 2);
            assertThat(later.get(1).status()).isEqualTo(CommandStatus.SUCCEEDED);
            assertThat(work.resolve("unsigned-then-signed")).exists();

            assertThat(n.agent.state()).isEqualTo(AgentState.RUNNING);
        }
    }

    @Test
    void approval_decisions_count_only_when_signed_by_an_approve_key() throws Exception {
        try (SignedNode n = new SignedNode(tmp.resolve("policy.yaml"), tmp.resolve("data"))) {
            // /usr/bin/touch is not on the allowlist: ask on-miss makes the node wait for a decision.
            String id = newId();
            Exec e = Exec.of(id, n.node, List.of("/usr/bin/touch", work.resolve("asked").toString()))
                    .withExpiresAt(Instant.now().plus(Duration.ofMinutes(5)));
            n.publish(Topics.Kind.CMD, signed(e, submitter));
            n.awaitApprovalRequest(id);

            ApprovalDecision allow = new ApprovalDecision(id, n.node, ApprovalDecision.Decision.ALLOW_ONCE, "eve", null, null);
            // unsigned, signed by a key without canApprove, signed by a stranger: all ignored
            n.publish(Topics.Kind.CONTROL, CODEC.encode(allow));
            n.publish(Topics.Kind.CONTROL, CODEC.encode(new MessageSigner(submitter, CODEC).sign(allow)));
            n.publish(Topics.Kind.CONTROL, CODEC.encode(new MessageSigner(stranger, CODEC).sign(allow)));
            // the approver's deny, sent after them on the same topic, is the one that counts
            ApprovalDecision deny = new ApprovalDecision(id, n.node, ApprovalDecision.Decision.DENY, "ops", "not today", null);
            n.publish(Topics.Kind.CONTROL, CODEC.encode(new MessageSigner(approver, CODEC).sign(deny)));

            Result r = n.awaitResult(id);
            assertThat(r.status()).isEqualTo(CommandStatus.REJECTED);
            assertThat(r.error().code()).isEqualTo("APPROVAL_DENIED");
            assertThat(r.error().message()).contains("ops");
            assertThat(work.resolve("asked")).doesNotExist();

            // and an approver's allow does let an asked command run
            String id2 = newId();
            n.publish(Topics.Kind.CMD, signed(Exec.of(id2, n.node, List.of("/usr/bin/touch", work.resolve("allowed").toString()))
                    .withExpiresAt(Instant.now().plus(Duration.ofMinutes(5))), submitter));
            n.awaitApprovalRequest(id2);
            n.publish(Topics.Kind.CONTROL, CODEC.encode(new MessageSigner(approver, CODEC).sign(
                    new ApprovalDecision(id2, n.node, ApprovalDecision.Decision.ALLOW_ONCE, "ops", null, null))));
            assertThat(n.awaitResult(id2).status()).isEqualTo(CommandStatus.SUCCEEDED);
            assertThat(work.resolve("allowed")).exists();
        }
    }
}
