package dev.hostops.node.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostops.contracts.sign.Ed25519Keys;
import dev.hostops.contracts.sign.SigningKey;
import dev.hostops.node.policy.Policy;
import dev.hostops.node.policy.PolicyException;
import dev.hostops.node.policy.TrustedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy's {@code trustedKeys}: read strictly, because a wrong key in a security file must not pass silently. */
class TrustedKeysPolicyTest {
    @TempDir
    Path dir;
    private final SigningKey key = SigningKey.of(Ed25519Keys.generate().getPrivate());

    private Policy parse(String keysYaml) throws PolicyException {
        return Policy.parse("security: allowlist\nrequireSignature: true\ntrustedKeys:\n" + keysYaml, dir);
    }

    @Test
    void keys_from_a_file_and_inline_with_their_rights() throws Exception {
        Files.writeString(dir.resolve("d.pub"), Ed25519Keys.toPem(key.publicKey()));
        SigningKey other = SigningKey.of(Ed25519Keys.generate().getPrivate());
        String inline = Ed25519Keys.toPem(other.publicKey()).strip().replace("\n", "\n      ");
        Policy p = parse("  - name: dispatcher\n    file: d.pub\n    id: " + key.keyId() + "\n"
                + "  - name: ops\n    canSubmit: false\n    canApprove: true\n    publicKey: |\n      " + inline + "\n");
        assertThat(p.trustedKeys()).containsExactly(
                TrustedKey.of("dispatcher", key.publicKey(), true, false),
                TrustedKey.of("ops", other.publicKey(), false, true));
        Policy without = Policy.parse("security: allowlist\nrequireSignature: true\n", dir);
        assertThat(p.digest()).isNotEqualTo(without.digest());
    }

    @Test
    void mistakes_are_errors_that_name_the_entry() throws Exception {
        Files.writeString(dir.resolve("d.pub"), Ed25519Keys.toPem(key.publicKey()));
        assertThatThrownBy(() -> parse("  - name: d\n    file: d.pub\n    id: 0123456789abcdef\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("trustedKeys[0].id").hasMessageContaining(key.keyId());
        assertThatThrownBy(() -> parse("  - name: d\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("exactly one of 'file'");
        assertThatThrownBy(() -> parse("  - file: d.pub\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("trustedKeys[0].name");
        assertThatThrownBy(() -> parse("  - name: d\n    file: missing.pub\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("cannot read");
        assertThatThrownBy(() -> parse("  - name: d\n    publicKey: not a key\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("not an Ed25519 public key");
        assertThatThrownBy(() -> parse("  - name: d\n    file: d.pub\n    canSign: true\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("unknown key");
        assertThatThrownBy(() -> parse("  - name: a\n    file: d.pub\n  - name: b\n    file: d.pub\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("listed twice");
    }
}
