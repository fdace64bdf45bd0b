package dev.hostops.broker.acl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** The password hash formats the two brokers read, written without their tools. */
public final class PasswordHashes {
    /** What mosquitto_passwd 2.x uses: PBKDF2-HMAC-SHA512, 101 iterations, 12-byte salt, 64-byte hash. */
    static final int MOSQUITTO_ITERATIONS = 101;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHashes() {}

    /** {@code $7$101$<base64 salt>$<base64 hash>}, the value after {@code user:} in a Mosquitto 2 password file. */
    public static String mosquitto(String password) {
        byte[] salt = new byte[12];
        RANDOM.nextBytes(salt);
        return mosquitto(password, salt, MOSQUITTO_ITERATIONS);
    }

    static String mosquitto(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 64 * 8);
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
            Base64.Encoder b64 = Base64.getEncoder();
            return "$7$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 is part of every Java runtime", e);
        }
    }

    /** RabbitMQ's {@code rabbit_password_hashing_sha256}: base64(salt + sha256(salt + password)), 4-byte salt. */
    public static String rabbitSha256(String password) {
        byte[] salt = new byte[4];
        RANDOM.nextBytes(salt);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            byte[] digest = sha.digest(password.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[salt.length + digest.length];
            System.arraycopy(salt, 0, out, 0, salt.length);
            System.arraycopy(digest, 0, out, salt.length, digest.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** 24 random bytes, URL-safe base64 without padding (32 characters, no spaces or quotes). */
    public static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
