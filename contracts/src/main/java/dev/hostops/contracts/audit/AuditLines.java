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
    private static final HexFormat HEX = HexFormat.of();
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

    /** A line as written (without newline) and its hash, the next line's {@code prev}. */
    record Sealed(String line, String hash) {}

    /** The full line (without newline) for a body that ends with '}'. */
    static String seal(String body) {
        return seal(body, sha256()).line();
    }

    /** {@link #seal(String)} with a digest of the caller's (reused: no lookup per line). */
    static Sealed seal(String body, MessageDigest digest) {
        String hash = hash(body, digest);
        return new Sealed(body.substring(0, body.length() - 1) + ",\"hash\":\"" + hash + "\"}", hash);
    }

    static String hash(String body) {
        return hash(body, sha256());
    }

    private static String hash(String body, MessageDigest digest) {
        return "sha256:" + HEX.formatHex(digest.digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
