package dev.hostops.contracts.sign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.Cancel;
import dev.hostops.contracts.message.Exec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Signing and verifying with real Ed25519 keys, through the codec as senders and nodes use it. */
class SignatureSchemeTest {
    private static final MessageCodec CODEC = MessageCodec.standard();
    private final SigningKey alice = SigningKey.of(Ed25519Keys.generate().getPrivate());
    private final SigningKey mallory = SigningKey.of(Ed25519Keys.generate().getPrivate());

    private SignatureVerifier trusting(SigningKey... keys) {
        Map<String, PublicKey> byId = new java.util.HashMap<>();
        for (SigningKey k : keys) {
            byId.put(k.keyId(), k.publicKey());
        }
        return new SignatureVerifier(id -> Optional.ofNullable(byId.get(id)), CODEC.mapper());
    }

    private static Exec exec() {
        return Exec.of("01JDQ7M3ZK4N8VYQ2W5X6T9R0C", "HostOps-Win", List.of("git", "status", "--porcelain"))
                .withExpiresAt(Instant.parse("2026-11-21T23:00:00Z")).withTimeoutMs(600_000L);
    }

    @Test
    void the_public_key_derived_from_a_private_key_is_its_own() {
        KeyPair pair = Ed25519Keys.generate();
        assertThat(Ed25519Keys.publicKeyOf(pair.getPrivate()).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(Ed25519Keys.keyId(pair.getPublic())).matches("[0-9a-f]{16}");
    }

    @Test
    void pem_files_read_back_to_the_same_keys() {
        String priv = Ed25519Keys.toPem(alice.privateKey());
        String pub = Ed25519Keys.toPem(alice.publicKey());
        assertThat(priv).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(pub).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(SigningKey.of(Ed25519Keys.readPrivate(priv)).keyId()).isEqualTo(alice.keyId());
        assertThat(Ed25519Keys.keyId(Ed25519Keys.readPublic(pub))).isEqualTo(alice.keyId());
    }

    @Test
    void a_signed_exec_verifies_as_published_and_after_reformatting() throws Exception {
        Exec signed = new MessageSigner(alice, CODEC).sign(exec());
        byte[] wire = CODEC.encode(signed);
        assertThat(trusting(alice).verify(wire)).isEqualTo(VerifyOutcome.valid(alice.keyId()));
        // Same value, other spacing and member order: still valid (the signature is over the canonical form).
        ObjectNode tree = (ObjectNode) CODEC.mapper().readTree(wire);
        String pretty = CODEC.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        assertThat(trusting(alice).verify(pretty.getBytes(StandardCharsets.UTF_8)).isValid()).isTrue();
        assertThat(CODEC.decode(wire, Exec.class)).isEqualTo(signed);
    }

    @Test
    void refusals_have_distinct_codes() throws Exception {
        MessageSigner signer = new MessageSigner(alice, CODEC);
        byte[] wire = CODEC.encode(signer.sign(exec()));
        String json = new String(wire, StandardCharsets.UTF_8);

        // unsigned
        assertThat(trusting(alice).verify(CODEC.encode(exec())).error()).isEqualTo(ErrorCode.BAD_SIGNATURE);
        // tampered: one byte of argv changed after signing
        byte[] tampered = json.replace("\"status\"", "\"statuS\"").getBytes(StandardCharsets.UTF_8);
        assertThat(trusting(alice).verify(tampered).error()).isEqualTo(ErrorCode.BAD_SIGNATURE);
        // an added member is covered too
        byte[] added = json.replace("{\"v\":1,", "{\"v\":1,\"extra\":true,").getBytes(StandardCharsets.UTF_8);
        assertThat(trusting(alice).verify(added).error()).isEqualTo(ErrorCode.BAD_SIGNATURE);
        // signed by a key nobody trusts
        VerifyOutcome untrusted = trusting(alice).verify(CODEC.encode(new MessageSigner(mallory, CODEC).sign(exec())));
        assertThat(untrusted.error()).isEqualTo(ErrorCode.UNTRUSTED_KEY);
        assertThat(untrusted.keyId()).isEqualTo(mallory.keyId());
        // wrong key: claims alice's key id, signed by mallory
        ObjectNode forged = CODEC.toTree(exec());
        MessageSignatures.signInPlace(forged, mallory);
        ((ObjectNode) forged.get("signature")).put("keyId", alice.keyId());
        assertThat(trusting(alice).verify(CODEC.mapper().writeValueAsBytes(forged)).error()).isEqualTo(ErrorCode.BAD_SIGNATURE);
        // garbage
        byte[] garbage = json.replaceAll("\"value\":\"[^\"]+\"", "\"value\":\"!!\"").getBytes(StandardCharsets.UTF_8);
        assertThat(trusting(alice).verify(garbage).error()).isEqualTo(ErrorCode.BAD_SIGNATURE);
        // malformed signature members
        for (String bad : List.of("\"signature\":\"abc\"", "\"signature\":{\"alg\":\"ed25519\"}", "\"signature\":[]")) {
            byte[] b = json.replaceAll("\"signature\":\\{[^}]*\\}", bad).getBytes(StandardCharsets.UTF_8);
            assertThat(trusting(alice).verify(b).error()).as(bad).isEqualTo(ErrorCode.BAD_SIGNATURE);
        }
        // two signature members: refused by the parser, so the verifier and the decoder cannot disagree
        byte[] twice = json.replace("{\"v\":1,", "{\"v\":1,\"signature\":null,").getBytes(StandardCharsets.UTF_8);
        assertThat(trusting(alice).verify(twice).error()).isEqualTo(ErrorCode.BAD_SIGNATURE);
        byte[] otherAlg = json.replace("\"alg\":\"ed25519\"", "\"alg\":\"none\"").getBytes(StandardCharsets.UTF_8);
        assertThat(trusting(alice).verify(otherAlg).error()).isEqualTo(ErrorCode.BAD_SIGNATURE);
    }

    @Test
    void control_messages_are_signed_the_same_way() {
        MessageSigner signer = new MessageSigner(alice, CODEC);
        Cancel c = signer.sign(Cancel.of("01JDQ7M3ZK4N8VYQ2W5X6T9R0C", "HostOps-Win", "changed my mind"));
        ApprovalDecision d = signer.sign(new ApprovalDecision("01JDQ7M3ZK4N8VYQ2W5X6T9R0C", "HostOps-Win",
                ApprovalDecision.Decision.ALLOW_ONCE, "ops", null, null));
        assertThat(trusting(alice).verify(CODEC.encode(c)).isValid()).isTrue();
        assertThat(trusting(alice).verify(CODEC.encode(d)).isValid()).isTrue();
        assertThat(d.signature().keyId()).isEqualTo(alice.keyId());
        // The approver is covered: another name under the same signature does not verify.
        byte[] renamed = new String(CODEC.encode(d), StandardCharsets.UTF_8).replace("\"ops\"", "\"eve\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(trusting(alice).verify(renamed).error()).isEqualTo(ErrorCode.BAD_SIGNATURE);
    }

    @Test
    void signing_is_deterministic_so_a_retry_is_the_same_message() {
        MessageSigner signer = new MessageSigner(alice, CODEC);
        assertThat(signer.sign(exec())).isEqualTo(signer.sign(exec()));
    }
}
