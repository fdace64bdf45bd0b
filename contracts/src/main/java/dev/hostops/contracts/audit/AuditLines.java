package dev.hostops.contracts.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The line format, in one place for the writer and the verifier. */
final class AuditLines {
    static final String GENESIS = "sha256:" + "0".repeat(64);
    /** The last member of every line; everything before it (closed with '}') is what is hashed. */
    private static final Pattern HASH_TAIL = Pattern.compile(",\"hash\":\"(sha256:[0-9a-f]{64})\"}$");

    private AuditLines() {}

    /** A line split into the hashed body and the hash it claims. */
    record Split(String body, String claimedHash) {}

    static Optional<Split> split(String line) {
        Matcher m = HASH_TAIL.matcher(line);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new Split(line.substring(0, m.start()) + "}", m.group(1)));
    }

    /** The full line (without newline) for a body that ends with '}'. */
    static String seal(String body) {
        return body.substring(0, body.length() - 1) + ",\"hash\":\"" + hash(body) + "\"}";
    }

    static String hash(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
