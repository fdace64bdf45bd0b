package dev.hostops.node.policy.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.node.policy.AllowRule;
import dev.hostops.node.policy.PolicyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The file of "allow always" decisions, next to the policy ({@code approved.yaml}) unless the policy names another
 * ({@code approvedFile}). The administrator reads it and removes entries to revoke them. The agent reads it at start
 * and rewrites it whole on each new entry: it reads the current file, adds the entry, writes a temporary file in the
 * same directory and moves it over the old one, so a crash leaves either the old or the new file, never half of one.
 */
public final class ApprovedFile {
    static final String HEADER = """
            # hostops: commands an approver allowed "always" on this node.
            # Each entry counts like an allow entry of the policy. Delete an entry to revoke it
            # (the agent reads this file at start and before each new entry; comments are not kept).
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApprovedFile() {}

    /** The entries of the file; none when it does not exist. */
    public static List<AllowRule> load(Path file) throws PolicyException {
        if (file == null || !Files.exists(file)) {
            return List.of();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyException("The approved file " + file + " " + FileErrors.describe(e), e);
        }
        ApprovedDocument doc = PolicyYaml.read(text, ApprovedDocument.class, file.toString());
        List<AllowRule> out = new ArrayList<>();
        if (doc == null || doc.approved == null) {
            return List.of();
        }
        for (int i = 0; i < doc.approved.size(); i++) {
            ApprovedDocument.Entry e = doc.approved.get(i);
            if (e == null) {
                throw new PolicyException(file + ": key 'approved[" + i + "]' is empty");
            }
            Values.absoluteGlob("approved[" + i + "].path", e.path, file.toString());
            out.add(new AllowRule(e.path, e.args, e.workdirs, e.env));
        }
        return List.copyOf(out);
    }

    /**
     * Adds {@code rule} unless the file already holds it, and returns every entry now in the file.
     *
     * @throws IOException when the file cannot be read, is not valid (it is then left alone), or cannot be written
     */
    public static List<AllowRule> append(Path file, AllowRule rule, Instant at) throws IOException {
        List<AllowRule> current;
        try {
            current = load(file);
        } catch (PolicyException e) {
            throw new IOException("The approved file is not valid, so the new entry was not written: " + e.getMessage(), e);
        }
        List<AllowRule> all = new ArrayList<>(current);
        StringBuilder text = new StringBuilder(HEADER).append("approved:\n");
        List<String> stamps = stamps(file, current.size());
        for (int i = 0; i < current.size(); i++) {
            text.append(entry(current.get(i), stamps.get(i)));
        }
        if (!current.contains(rule)) {
            all.add(rule);
            text.append(entry(rule, at.toString()));
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".approved-", ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return List.copyOf(all);
    }

    /** Keeps the approvedAt values already in the file (re-read raw, since AllowRule does not carry them). */
    private static List<String> stamps(Path file, int count) throws IOException {
        List<String> out = new ArrayList<>();
        if (count > 0) {
            try {
                ApprovedDocument doc = PolicyYaml.read(Files.readString(file, StandardCharsets.UTF_8), ApprovedDocument.class,
                        file.toString());
                for (ApprovedDocument.Entry e : doc.approved) {
                    out.add(e.approvedAt);
                }
            } catch (PolicyException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        return out;
    }

    private static String entry(AllowRule rule, String approvedAt) throws IOException {
        // JSON strings are valid YAML flow scalars, and Jackson escapes every character that needs it.
        StringBuilder out = new StringBuilder("  - path: ").append(JSON.writeValueAsString(rule.path())).append('\n');
        if (!rule.args().isEmpty()) {
            out.append("    args: ").append(JSON.writeValueAsString(rule.args())).append('\n');
        }
        if (!rule.workdirs().isEmpty()) {
            out.append("    workdirs: ").append(JSON.writeValueAsString(rule.workdirs())).append('\n');
        }
        if (!rule.env().isEmpty()) {
            out.append("    env: ").append(JSON.writeValueAsString(rule.env())).append('\n');
        }
        if (approvedAt != null) {
            out.append("    approvedAt: ").append(JSON.writeValueAsString(approvedAt)).append('\n');
        }
        return out.toString();
    }
}
