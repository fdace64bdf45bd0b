package dev.hostops.contracts.sign;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys in the files openssl reads and writes: the private key as PKCS#8 PEM
 * ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl genpkey -algorithm ed25519} writes), the
 * public key as X.509 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}, what
 * {@code openssl pkey -pubout} writes). Uses only the JDK's own Ed25519.
 */
public final class Ed25519Keys {
    public static final String ALGORITHM = "Ed25519";
    /** Hex characters of the key id: 64 bits of the SHA-256 of the raw public key. */
    public static final int KEY_ID_HEX_CHARS = 16;
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";
    /** The SubjectPublicKeyInfo DER of an Ed25519 key is this 12-byte header, then the 32 raw key bytes. */
    private static final int RAW_PUBLIC_KEY_BYTES = 32;

    private Ed25519Keys() {}

    /** A fresh key pair from the platform's strong random source. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no Ed25519 (Java 15 or later has it)", e);
        }
    }

    /**
     * The key id: the first {@value #KEY_ID_HEX_CHARS} lower-case hex characters of SHA-256 over the
     * 32 raw public key bytes. With openssl:
     * {@code openssl pkey -pubin -in k.pub -outform DER | tail -c 32 | sha256sum | cut -c1-16}.
     */
    public static String keyId(PublicKey key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(rawPublicKey(key));
            return HexFormat.of().formatHex(hash).substring(0, KEY_ID_HEX_CHARS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The 32 bytes of the public key as RFC 8032 encodes it. */
    public static byte[] rawPublicKey(PublicKey key) {
        requireEd25519(key.getAlgorithm());
        byte[] der = key.getEncoded();
        return Arrays.copyOfRange(der, der.length - RAW_PUBLIC_KEY_BYTES, der.length);
    }

    /**
     * The public half of a private key. The JDK 17 API has no call for it, so the key pair is made
     * again from the private key's 32-byte seed (an Ed25519 key pair is a function of the seed).
     */
    public static PublicKey publicKeyOf(PrivateKey key) {
        requireEd25519(key.getAlgorithm());
        byte[] seed = ((EdECPrivateKey) key).getBytes()
                .orElseThrow(() -> new IllegalArgumentException("the private key does not expose its bytes"));
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no Ed25519", e);
        }
    }

    /** Reads a PKCS#8 PEM private key. */
    public static PrivateKey readPrivate(String pem) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(pem, PRIVATE_LABEL)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 private key (PKCS#8 PEM, as 'openssl genpkey -algorithm ed25519' writes): " + e.getMessage(), e);
        }
    }

    /** Reads an X.509 SubjectPublicKeyInfo PEM public key. */
    public static PublicKey readPublic(String pem) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der(pem, PUBLIC_LABEL)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key (PEM 'BEGIN PUBLIC KEY', as 'openssl pkey -pubout' writes): " + e.getMessage(), e);
        }
    }

    public static String toPem(PrivateKey key) {
        requireEd25519(key.getAlgorithm());
        return pem(PRIVATE_LABEL, key.getEncoded());
    }

    public static String toPem(PublicKey key) {
        requireEd25519(key.getAlgorithm());
        return pem(PUBLIC_LABEL, key.getEncoded());
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static byte[] der(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no '" + begin + "' block found");
        }
        String body = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the '" + label + "' block is not valid base64", e);
        }
    }

    private static void requireEd25519(String algorithm) {
        if (!"EdDSA".equals(algorithm) && !ALGORITHM.equals(algorithm)) {
            throw new IllegalArgumentException("not an Ed25519 key but " + algorithm);
        }
    }

    /** Hands the generator the seed instead of random bytes (it asks for exactly 32). */
    private static final class FixedSeed extends SecureRandom {
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("expected a request for " + seed.length + " bytes, not " + bytes.length);
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }
}
