package dev.hostops.node.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.Cancel;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.sign.Ed25519Keys;
import dev.hostops.contracts.sign.MessageSigner;
import dev.hostops.contracts.sign.SigningKey;
import dev.hostops.node.policy.TrustedKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link MessageTrust} without a broker: which message passes, and with which code the others are refused. */
class MessageTrustTest {
    private static final MessageCodec CODEC = MessageCodec.standard();
    private final SigningKey submitter = SigningKey.of(Ed25519Keys.generate().getPrivate());
    private final SigningKey approver = SigningKey.of(Ed25519Keys.generate().getPrivate());
    private final Map<String, byte[]> store = new HashMap<>();
    private final MessageTrust trust = new MessageTrust(true, List.of(
            TrustedKey.of("dispatcher", submitter.publicKey(), true, false),
            TrustedKey.of("ops", approver.publicKey(), false, true)),
            id -> Optional.ofNullable(store.get(id)), CODEC.mapper());

    private static Exec exec(String id, String arg) {
        return Exec.of(id, "n1", List.of("/usr/bin/echo", arg)).withExpiresAt(Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    private static String code(Optional<Refusal> r) {
        return r.map(x -> x.error().code()).orElse("ACCEPTED");
    }

    private byte[] signed(Exec e, SigningKey k) {
        return CODEC.encode(new MessageSigner(k, CODEC).sign(e));
    }

    @Test
    void a_redelivery_passes_other_content_under_a_known_id_is_a_replay() throws Exception {
        Exec first = exec("c1", "hello");
        byte[] wire = signed(first, submitter);
        assertThat(code(trust.checkCommand(wire))).isEqualTo("ACCEPTED");
        store.put("c1", wire);
        assertThat(code(trust.checkCommand(wire))).isEqualTo("ACCEPTED"); // the same message again: the store repeats it
        // Same content, reformatted: still the same command.
        String spaced = new String(wire, StandardCharsets.UTF_8).replace(",", ", ");
        assertThat(code(trust.checkCommand(spaced.getBytes(StandardCharsets.UTF_8)))).isEqualTo("ACCEPTED");
        Optional<Refusal> replay = trust.checkCommand(signed(exec("c1", "other"), submitter));
        assertThat(code(replay)).isEqualTo("REPLAY");
        assertThat(replay.get().id()).isEqualTo("c1");
    }

    @Test
    void rights_decide_who_may_send_what() throws Exception {
        assertThat(code(trust.checkCommand(signed(exec("c2", "x"), approver)))).isEqualTo("UNTRUSTED_KEY");
        MessageSigner bySubmitter = new MessageSigner(submitter, CODEC);
        MessageSigner byApprover = new MessageSigner(approver, CODEC);
        Cancel cancel = Cancel.of("c2", "n1", "stop");
        assertThat(code(trust.checkControl(CODEC.encode(bySubmitter.sign(cancel))))).isEqualTo("ACCEPTED");
        assertThat(code(trust.checkControl(CODEC.encode(byApprover.sign(cancel))))).isEqualTo("UNTRUSTED_KEY");
        ApprovalDecision allow = new ApprovalDecision("c2", "n1", ApprovalDecision.Decision.ALLOW_ONCE, "ops", null, null);
        assertThat(code(trust.checkControl(CODEC.encode(byApprover.sign(allow))))).isEqualTo("ACCEPTED");
        assertThat(code(trust.checkControl(CODEC.encode(bySubmitter.sign(allow))))).isEqualTo("UNTRUSTED_KEY");
        assertThat(code(trust.checkControl(CODEC.encode(allow)))).isEqualTo("BAD_SIGNATURE");
        assertThat(code(trust.checkControl("not json".getBytes(StandardCharsets.UTF_8)))).isEqualTo("BAD_SIGNATURE");
    }

    @Test
    void a_signed_exec_needs_a_near_deadline_and_nothing_is_checked_without_requireSignature() throws Exception {
        assertThat(code(trust.checkCommand(signed(exec("c3", "x").withExpiresAt(null), submitter)))).isEqualTo("INVALID_FIELD");
        assertThat(code(trust.checkCommand(signed(exec("c3", "x").withExpiresAt(Instant.now().plusSeconds(8 * 86400)), submitter))))
                .isEqualTo("INVALID_FIELD");
        MessageTrust off = new MessageTrust(false, List.of(), id -> Optional.empty(), CODEC.mapper());
        assertThat(code(off.checkCommand(CODEC.encode(exec("c4", "x"))))).isEqualTo("ACCEPTED");
        assertThat(code(off.checkControl(CODEC.encode(Cancel.of("c4", "n1", null))))).isEqualTo("ACCEPTED");
    }
}
