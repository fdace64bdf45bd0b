package dev.hostops.contracts.sign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;

/**
 * An Ed25519 private key with its public half and key id: what a sender needs to sign.
 *
 * @param keyId {@link Ed25519Keys#keyId} of the public key
 */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey, String keyId) {
    public SigningKey {
        Objects.requireNonNull(privateKey, "privateKey must not be null");
        Objects.requireNonNull(publicKey, "publicKey must not be null");
        Objects.requireNonNull(keyId, "keyId must not be null");
    }

    public static SigningKey of(PrivateKey privateKey) {
        PublicKey publicKey = Ed25519Keys.publicKeyOf(privateKey);
        return new SigningKey(privateKey, publicKey, Ed25519Keys.keyId(publicKey));
    }

    /** Reads a PKCS#8 PEM file ({@code hostops keys generate} or {@code openssl genpkey -algorithm ed25519}). */
    public static SigningKey load(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            return of(Ed25519Keys.readPrivate(pem));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The raw 64-byte Ed25519 signature of {@code data}. */
    public byte[] sign(byte[] data) {
        try {
            java.security.Signature s = java.security.Signature.getInstance(Ed25519Keys.ALGORITHM);
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId + "]"; // never the private key
    }
}
