package dev.hostops.contracts.message;

/**
 * A detached signature over the canonical form of a message (the message without its
 * {@code signature} field). {@code alg} is {@code "ed25519"}; {@code value} is base64.
 */
public record Signature(String alg, String keyId, String value) {
    public Signature {
        Checks.required(alg, "signature.alg");
        Checks.required(keyId, "signature.keyId");
        Checks.required(value, "signature.value");
    }
}
