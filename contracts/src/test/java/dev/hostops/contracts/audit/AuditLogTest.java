package dev.hostops.contracts.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    @Test
    void linesCarryTheDocumentedMembersInOrderAndChain() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);
        try (AuditLog log = AuditLog.open(file, FsyncPolicy.EVERY_LINE, clock)) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("id", "c1");
            fields.put("argv", List.of("git", "status"));
            fields.put("exitCode", null);
            log.append(AuditEvents.COMMAND_RECEIVED, fields);
            log.append(AuditEvents.COMMAND_FINISHED, Map.of("status", "SUCCEEDED"));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"seq\":1,\"at\":\"2026-11-22T00:00:00Z\",\"prev\":\"sha256:" + "0".repeat(64)
                + "\",\"event\":\"command.received\",\"id\":\"c1\",\"argv\":[\"git\",\"status\"],\"exitCode\":null,\"hash\":\"sha256:");
        JsonNode first = JSON.readTree(lines.get(0));
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.get("prev").asText()).isEqualTo(first.get("hash").asText());
        assertThat(second.get("seq").asLong()).isEqualTo(2);
        assertThat(AuditVerifier.verify(file).ok()).isTrue();
    }

    @Test
    void reopeningContinuesTheChain() {
        Path file = dir.resolve("sub/dir/audit.jsonl");
        String hashBefore;
        try (AuditLog log = AuditLog.open(file)) {
            log.append("a.one", Map.of());
            log.append("a.two", Map.of());
            hashBefore = log.lastHash();
        }
        try (AuditLog log = AuditLog.open(file)) {
            assertThat(log.lastSeq()).isEqualTo(2);
            assertThat(log.lastHash()).isEqualTo(hashBefore);
            log.append("a.three", Map.of("n", 3));
        }
        AuditReport report = AuditVerifier.verify(file);
        assertThat(report.problem()).isEmpty();
        assertThat(report.lines()).isEqualTo(3);
        assertThat(report.lastSeq()).isEqualTo(3);
    }

    @Test
    void reopeningFindsALastLineLongerThanOneReadChunk() {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            log.append("a.one", Map.of("short", "x"));
            log.append("a.two", Map.of("long", "y".repeat(20_000)));
        }
        try (AuditLog log = AuditLog.open(file)) {
            assertThat(log.lastSeq()).isEqualTo(2);
            log.append("a.three", Map.of());
        }
        assertThat(AuditVerifier.verify(file).problem()).isEmpty();
    }

    @Test
    void concurrentAppendsGiveOneUnbrokenChain() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (AuditLog log = AuditLog.open(file, FsyncPolicy.NEVER, Clock.systemUTC())) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        log.append("t.event", Map.of("thread", thread, "i", i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        AuditReport report = AuditVerifier.verify(file);
        assertThat(report.problem()).isEmpty();
        assertThat(report.lastSeq()).isEqualTo(200);
        Set<String> seen = new HashSet<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode n = JSON.readTree(line);
            seen.add(n.get("thread").asInt() + "/" + n.get("i").asInt());
        }
        assertThat(seen).hasSize(200);
    }

    @Test
    void refusesToAppendAfterACutOffLastLine() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            log.append("a.one", Map.of());
        }
        Files.writeString(file, "{\"seq\":2,\"at\":", StandardOpenOption.APPEND);
        assertThatThrownBy(() -> AuditLog.open(file))
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.code()).isEqualTo(AuditException.Code.DAMAGED_TAIL))
                .hasMessageContaining("cut off");
    }

    @Test
    void refusesToAppendAfterAnEditedLastLine() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            log.append("a.one", Map.of("who", "alice"));
        }
        Files.writeString(file, Files.readString(file).replace("alice", "mallory"));
        assertThatThrownBy(() -> AuditLog.open(file))
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.code()).isEqualTo(AuditException.Code.DAMAGED_TAIL));
    }

    @Test
    void oneWriterAtATime() {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            assertThatThrownBy(() -> AuditLog.open(file))
                    .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.code()).isEqualTo(AuditException.Code.LOCKED));
        }
        AuditLog.open(file).close();
    }

    @Test
    void rejectsReservedFieldsAndBadNames() {
        try (AuditLog log = AuditLog.open(dir.resolve("audit.jsonl"))) {
            assertThatThrownBy(() -> log.append("a.one", Map.of("hash", "x"))).isInstanceOf(AuditException.class).hasMessageContaining("reserved");
            assertThatThrownBy(() -> log.append("Bad Name", Map.of())).isInstanceOf(AuditException.class);
            assertThatThrownBy(() -> log.append("a.one", Map.of("we\"ird", 1))).isInstanceOf(AuditException.class);
            assertThat(log.lastSeq()).isZero();
        }
    }

    @Test
    void valuesWithNewlinesAndUnicodeStayOnOneLine() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            log.append("a.one", Map.of("text", "line1\nline2 \u00e9\u4e2d\"q\""));
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        assertThat(JSON.readTree(lines.get(0)).get("text").asText()).isEqualTo("line1\nline2 \u00e9\u4e2d\"q\"");
        assertThat(AuditVerifier.verify(file).ok()).isTrue();
    }

    /** Strings, whole numbers and booleans are written without Jackson's generator: the text must be what Jackson writes. */
    @Test
    void everyValueIsWrittenExactlyAsJacksonWritesIt() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("quotes", "say \"hi\" \\ back/slash");
        fields.put("controls", "\u0000\u0001\b\f\n\r\t\u001f\u007f");
        fields.put("unicode", "\u00e9\u4e2d\ud83d\ude80 \u2028\u2029");
        fields.put("lone", "\ud800 half a pair");
        fields.put("empty", "");
        fields.put("int", -42);
        fields.put("long", Long.MIN_VALUE);
        fields.put("short", (short) 7);
        fields.put("yes", true);
        fields.put("none", null);
        fields.put("double", 1.5e300);
        fields.put("list", List.of("a", 1, false));
        StringBuilder expected = new StringBuilder(",\"event\":\"a.one\"");
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            expected.append(",\"").append(f.getKey()).append("\":").append(JSON.writeValueAsString(f.getValue()));
        }
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            log.append("a.one", fields);
        }

        String line = Files.readAllLines(file, StandardCharsets.UTF_8).get(0);
        // The file is UTF-8: a lone surrogate becomes '?' on the way in, whichever way it was escaped.
        String asStored = new String(expected.append(",\"hash\":").toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertThat(line).contains(asStored);
        assertThat(AuditVerifier.verify(file).ok()).isTrue();
    }

    @Test
    void aNameCheckedOnceAsAnEventIsStillRefusedAsAFieldName() {
        try (AuditLog log = AuditLog.open(dir.resolve("audit.jsonl"))) {
            log.append("dotted.event", Map.of());
            assertThatThrownBy(() -> log.append("a.one", Map.of("dotted.event", 1))).isInstanceOf(AuditException.class);
            assertThat(log.lastSeq()).isEqualTo(1);
        }
    }

    @Test
    void appendAfterCloseFails() {
        AuditLog log = AuditLog.open(dir.resolve("audit.jsonl"));
        log.close();
        log.close();
        assertThatThrownBy(() -> log.append("a.one", Map.of()))
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.code()).isEqualTo(AuditException.Code.CLOSED));
    }
}
