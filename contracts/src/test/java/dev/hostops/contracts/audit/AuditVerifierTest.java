package dev.hostops.contracts.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damages a real five-line log in each way the verifier must name, and checks line and reason. */
class AuditVerifierTest {
    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void writeFiveLines() {
        file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            for (int i = 1; i <= 5; i++) {
                log.append(AuditEvents.COMMAND_RECEIVED, Map.of("id", "cmd-" + i, "by", "tier2"));
            }
        }
    }

    @Test
    void anIntactLogVerifies() {
        AuditReport report = AuditVerifier.verify(file);
        assertThat(report.ok()).isTrue();
        assertThat(report.lines()).isEqualTo(5);
        assertThat(report.lastSeq()).isEqualTo(5);
        assertThat(report.lastHash()).startsWith("sha256:").hasSize(71);
    }

    @Test
    void anEmptyLogVerifies() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.jsonl"));
        assertThat(AuditVerifier.verify(empty).ok()).isTrue();
    }

    @Test
    void oneChangedByteInTheMiddleLineIsFoundAtThatLine() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        List<String> lines = Files.readAllLines(file);
        int offset = lines.get(0).length() + 1 + lines.get(1).length() + 1 + lines.get(2).indexOf("cmd-3") + 4;
        bytes[offset] = (byte) '9'; // cmd-3 -> cmd-9
        Files.write(file, bytes);
        assertProblem(3, AuditProblem.Reason.EDITED);
    }

    @Test
    void aByteThatIsNoLongerUtf8IsAnEditToo() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        List<String> lines = Files.readAllLines(file);
        bytes[lines.get(0).length() + 1 + 20] = (byte) 0xC3;
        Files.write(file, bytes);
        assertProblem(2, AuditProblem.Reason.EDITED);
    }

    @Test
    void anEditedHashIsAnEdit() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String l = lines.get(3);
        char last = l.charAt(l.length() - 3);
        lines.set(3, l.substring(0, l.length() - 3) + (last == 'a' ? 'b' : 'a') + l.substring(l.length() - 2));
        write(lines);
        assertProblem(4, AuditProblem.Reason.EDITED);
    }

    @Test
    void anEditedAndRehashedLineIsFoundThroughTheNextLinesPrev() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        AuditLines.Split split = AuditLines.split(lines.get(1)).orElseThrow();
        lines.set(1, AuditLines.seal(split.body().replace("tier2", "admin")));
        write(lines);
        assertProblem(2, AuditProblem.Reason.EDITED);
    }

    @Test
    void aRemovedLineIsFoundWhereTheGapIs() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(2);
        write(lines);
        assertProblem(3, AuditProblem.Reason.REMOVED);
    }

    @Test
    void aRemovedFirstLineIsFound() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(0);
        write(lines);
        assertProblem(1, AuditProblem.Reason.REMOVED);
    }

    @Test
    void twoSwappedLinesAreReordered() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        Collections.swap(lines, 1, 3);
        write(lines);
        assertProblem(2, AuditProblem.Reason.REORDERED);
    }

    @Test
    void aDuplicatedLineIsReordered() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(2, lines.get(1));
        write(lines);
        assertProblem(3, AuditProblem.Reason.REORDERED);
    }

    @Test
    void aFileCutInTheMiddleOfALineIsTruncated() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 30));
        assertProblem(5, AuditProblem.Reason.TRUNCATED);
    }

    @Test
    void linesCutFromTheEndShowOnlyInTheLastSeqAndHash() throws Exception {
        String fullHash = AuditVerifier.verify(file).lastHash();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        write(lines.subList(0, 4));
        AuditReport report = AuditVerifier.verify(file);
        assertThat(report.ok()).isTrue();
        assertThat(report.lastSeq()).isEqualTo(4);
        assertThat(report.lastHash()).isNotEqualTo(fullHash);
    }

    private void assertProblem(long line, AuditProblem.Reason reason) {
        AuditReport report = AuditVerifier.verify(file);
        assertThat(report.problem()).hasValueSatisfying(p -> {
            assertThat(p.line()).as(p.detail()).isEqualTo(line);
            assertThat(p.reason()).as(p.detail()).isEqualTo(reason);
        });
    }

    private void write(List<String> lines) throws Exception {
        Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
