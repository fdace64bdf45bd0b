package dev.hostops.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.cli.Main;
import dev.hostops.contracts.audit.AuditLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hostops audit verify} through {@link Main#run}, as a user calls it. */
class AuditVerifyCommandTest {
    @TempDir
    Path dir;
    private Path file;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldErr;
    private PrintStream oldOut;

    @BeforeEach
    void setUp() {
        file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file)) {
            for (int i = 1; i <= 4; i++) {
                log.append("command.received", Map.of("id", "c" + i));
            }
        }
        oldErr = System.err;
        oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
        System.setOut(oldOut);
    }

    @Test
    void intactExitsZeroAndPrintsTheLastHash() {
        assertThat(Main.run("audit", "verify", file.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("ok, 4 lines, last seq 4, last hash sha256:");
    }

    @Test
    void editedExitsOneWithLineAndReason() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(1, lines.get(1).replace("\"c2\"", "\"cX\""));
        Files.write(file, lines);
        assertThat(Main.run("audit", "verify", file.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 2: edited");
    }

    @Test
    void removedFromTheEndIsCaughtWithTheRememberedHash() throws Exception {
        Main.run("audit", "verify", file.toString());
        String printed = out.toString(StandardCharsets.UTF_8);
        String hash = printed.substring(printed.indexOf("sha256:")).strip();
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, 3));
        assertThat(Main.run("audit", "verify", "--expect-hash", hash, file.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("removed");
    }

    @Test
    void missingFileExitsTwo() {
        assertThat(Main.run("audit", "verify", dir.resolve("nope.jsonl").toString())).isEqualTo(2);
    }
}
