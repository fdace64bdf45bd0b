package dev.hostops.contracts.sign;

import dev.hostops.contracts.ErrorCode;
import java.util.Objects;

/**
 * What {@link SignatureVerifier} found: a valid signature by a known key, or the reason there is none.
 *
 * @param error   null when valid; else {@link ErrorCode#BAD_SIGNATURE} or {@link ErrorCode#UNTRUSTED_KEY}
 * @param keyId   the key id the message names, when it names one
 * @param message a sentence a person understands
 */
public record VerifyOutcome(ErrorCode error, String keyId, String message) {
    public VerifyOutcome {
        Objects.requireNonNull(message, "message must not be null");
    }

    public static VerifyOutcome valid(String keyId) {
        return new VerifyOutcome(null, Objects.requireNonNull(keyId, "keyId"), "signed by key " + keyId);
    }

    public static VerifyOutcome refused(ErrorCode error, String keyId, String message) {
        return new VerifyOutcome(Objects.requireNonNull(error, "error"), keyId, message);
    }

    public boolean isValid() {
        return error == null;
    }
}
