package dev.hostops.node.policy;

import dev.hostops.contracts.sign.Ed25519Keys;
import java.security.PublicKey;
import java.util.Objects;

/**
 * A public key the node trusts, from the policy's {@code trustedKeys} (docs/SIGNING.md).
 *
 * @param name       who holds the key, for logs and results
 * @param keyId      {@link Ed25519Keys#keyId} of {@code key}
 * @param canSubmit  may sign exec and cancel messages
 * @param canApprove may sign approval decisions
 */
public record TrustedKey(String name, String keyId, PublicKey key, boolean canSubmit, boolean canApprove) {
    public TrustedKey {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(key, "key must not be null");
        if (!Ed25519Keys.keyId(key).equals(keyId)) {
            throw new IllegalArgumentException("keyId " + keyId + " is not the id of this key (" + Ed25519Keys.keyId(key) + ")");
        }
    }

    public static TrustedKey of(String name, PublicKey key, boolean canSubmit, boolean canApprove) {
        return new TrustedKey(name, Ed25519Keys.keyId(key), key, canSubmit, canApprove);
    }
}
