package dev.hostops.dispatcher.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A dispatcher killed with SIGKILL loses nothing it acknowledged: every command whose future
 * completed in the killed process is in the ledger when it is opened again, with either
 * durability (both survive a killed process; only a power loss tells them apart).
 */
class LedgerKillTest extends LedgerTestBase {
    private static final int ACKS_BEFORE_KILL = 3_000;

    static Stream<Arguments> databasesAndDurabilities() {
        return databases().flatMap(db -> Stream.of(LedgerConfig.Durability.values()).map(d -> Arguments.of(db, d)));
    }

    @ParameterizedTest
    @MethodSource("databasesAndDurabilities")
    void everyAcknowledgedCommandSurvivesAKill(TestDatabases.Kind db, LedgerConfig.Durability durability) throws Exception {
        LedgerConfig config = fresh(db);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                KillChild.class.getName(), config.jdbcUrl(), durability.name()));
        if (config.user() != null) {
            command.add(config.user());
        }
        Path childErr = tempDir.resolve("child-" + db + "-" + durability + ".err");
        Process child = new ProcessBuilder(command).redirectError(childErr.toFile()).start();
        List<String> acked = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && acked.size() < ACKS_BEFORE_KILL) {
                if (line.startsWith("ACK ")) {
                    acked.add(line.substring(4));
                }
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(acked).as("acks from the child; its stderr:%n%s", Files.readString(childErr))
                .hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

        Ledger reopened = open(config);
        List<String> missing = acked.stream().filter(id -> reopened.command(id).isEmpty()).toList();
        assertThat(missing).as("acknowledged before the kill, missing after").isEmpty();
        assertThat(reopened.command(acked.get(0)).orElseThrow().source()).isEqualTo("broker");
    }
}
