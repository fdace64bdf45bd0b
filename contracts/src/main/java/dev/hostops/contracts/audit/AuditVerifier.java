package dev.hostops.contracts.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks an audit file line by line: each line's hash, seq following on (1, 2, 3...) and prev
 * equal to the previous line's hash. Reports the first line where that fails and why.
 */
public final class AuditVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditVerifier() {}

    /**
     * @throws UncheckedIOException if the file cannot be read (a missing file is an error, not a valid log)
     */
    public static AuditReport verify(Path file) {
        try {
            return new Pass(file, endsWithNewline(file)).run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Malformed UTF-8 (a flipped byte) is replaced, not thrown: the hash check then reports the line. */
    private static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8));
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            if (raf.length() == 0) {
                return true;
            }
            raf.seek(raf.length() - 1);
            return raf.read() == '\n';
        }
    }

    /** One verification run over one file. */
    private static final class Pass {
        private final Path file;
        private final boolean complete;
        private long lineNo;
        private long lastSeq;
        private String lastHash = AuditLines.GENESIS;

        Pass(Path file, boolean complete) {
            this.file = file;
            this.complete = complete;
        }

        AuditReport run() throws IOException {
            try (BufferedReader in = reader(file)) {
                String line = in.readLine();
                while (line != null) {
                    String next = in.readLine();
                    lineNo++;
                    boolean last = next == null;
                    if (last && !complete) {
                        return fail(AuditProblem.Reason.TRUNCATED, "the file ends in the middle of this line (no newline)");
                    }
                    Optional<AuditProblem> problem = check(line);
                    if (problem.isPresent()) {
                        return new AuditReport(lineNo, lastSeq, lastHash, problem);
                    }
                    line = next;
                }
            }
            return new AuditReport(lineNo, lastSeq, lastHash, Optional.empty());
        }

        private Optional<AuditProblem> check(String line) throws IOException {
            Optional<AuditLines.Split> split = AuditLines.split(line);
            if (split.isEmpty()) {
                return problem(lineNo, AuditProblem.Reason.EDITED, "the line does not end with a well-formed \"hash\" member");
            }
            String body = split.get().body();
            String hash = split.get().claimedHash();
            if (!hash.equals(AuditLines.hash(body))) {
                return problem(lineNo, AuditProblem.Reason.EDITED, "the line's content does not match its hash");
            }
            JsonNode node;
            try {
                node = JSON.readTree(body);
            } catch (IOException e) {
                return problem(lineNo, AuditProblem.Reason.EDITED, "the line is not valid JSON although its hash matches");
            }
            long seq = node.path("seq").asLong(-1);
            long expected = lastSeq + 1;
            if (seq != expected) {
                return Optional.of(seqProblem(seq, expected));
            }
            if (!lastHash.equals(node.path("prev").asText())) {
                // The line itself is intact and in place, so the line before it was changed and re-hashed.
                return lineNo == 1
                        ? problem(1, AuditProblem.Reason.EDITED, "the first line's prev is not the chain's start")
                        : problem(lineNo - 1, AuditProblem.Reason.EDITED,
                                "the line was changed and re-hashed: line " + lineNo + "'s prev no longer matches it");
            }
            lastSeq = seq;
            lastHash = hash;
            return Optional.empty();
        }

        private AuditProblem seqProblem(long seq, long expected) throws IOException {
            if (seq < expected) {
                return new AuditProblem(lineNo, AuditProblem.Reason.REORDERED,
                        "seq " + seq + " comes after seq " + lastSeq + "; expected " + expected);
            }
            if (laterLineHasSeq(expected)) {
                return new AuditProblem(lineNo, AuditProblem.Reason.REORDERED,
                        "seq " + seq + " is here but seq " + expected + " comes later in the file");
            }
            long missing = seq - expected;
            return new AuditProblem(lineNo, AuditProblem.Reason.REMOVED, (missing == 1 ? "line with seq " + expected
                    : missing + " lines (seq " + expected + " to " + (seq - 1) + ")") + " removed before this line");
        }

        /** A second, cheap scan: does a line after this one carry {@code seq}? */
        private boolean laterLineHasSeq(long seq) throws IOException {
            String marker = "{\"seq\":" + seq + ",";
            try (BufferedReader in = reader(file)) {
                long n = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (++n > lineNo && line.startsWith(marker)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private AuditReport fail(AuditProblem.Reason reason, String detail) {
            return new AuditReport(lineNo, lastSeq, lastHash, Optional.of(new AuditProblem(lineNo, reason, detail)));
        }

        private static Optional<AuditProblem> problem(long line, AuditProblem.Reason reason, String detail) {
            return Optional.of(new AuditProblem(line, reason, detail));
        }
    }
}
