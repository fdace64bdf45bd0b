package dev.hostops.node.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.LogChunk;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Timeout, cancel and close kill the whole tree: children and grandchildren, none left alive. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ProcessTreeKillTest {
    /** The script writes five pids (two sleeps, nested sh, its sleep, itself). */
    private static final int TREE_PIDS = 5;

    private ProcessRunner runner = new ProcessRunner(
            new RunnerOptions(16 * 1024, Duration.ofMillis(100), 4096, Duration.ofMillis(500)));

    @TempDir
    Path tmp;

    @AfterEach
    void closeRunner() {
        runner.close();
    }

    private static String treeScript() throws URISyntaxException {
        return Path.of(ProcessTreeKillTest.class.getResource("/exec/tree.sh").toURI()).toString();
    }

    private RunSpec treeSpec(Path pidFile, Duration timeout, String... extra) throws URISyntaxException {
        List<String> argv = new java.util.ArrayList<>(List.of("/bin/sh", treeScript(), pidFile.toString()));
        argv.addAll(List.of(extra));
        return new RunSpec(UUID.randomUUID().toString(), "test-node", argv, tmp, Map.of(), timeout);
    }

    /** Waits until the script has written all its pids and checks they are alive now. */
    private static Set<Long> treePids(Path pidFile) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile)
                && Files.readAllLines(pidFile).size() >= TREE_PIDS);
        Set<Long> pids = readPids(pidFile);
        assertThat(pids).hasSizeGreaterThanOrEqualTo(TREE_PIDS - 1); // nested sh may be written twice
        assertThat(pids).allSatisfy(pid -> assertThat(isAlive(pid)).as("pid %d alive before the kill", pid).isTrue());
        return pids;
    }

    private static Set<Long> readPids(Path pidFile) {
        try {
            return Files.readAllLines(pidFile).stream().map(String::trim).filter(s -> !s.isEmpty())
                    .map(Long::parseLong).collect(Collectors.toSet());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Running, not merely present: a killed orphan stays a zombie until pid 1 reaps it, which some
     * container inits do late, and the JDK reports zombies as alive.
     */
    static boolean isAlive(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
            } catch (java.io.IOException e) {
                return !Files.isDirectory(Path.of("/proc/self")); // no /proc (macOS): trust the JDK
            }
        }
        return false;
    }

    private static void assertAllDead(Set<Long> pids) {
        // The outcome comes after the streams closed, which the sleeps hold open: they are gone.
        assertThat(pids).allSatisfy(pid -> assertThat(isAlive(pid)).as("pid %d alive after the kill", pid).isFalse());
    }

    @Test
    void a_timeout_kills_children_and_grandchildren_and_reports_timed_out() throws Exception {
        Path pidFile = tmp.resolve("pids-timeout");
        ChunkCollector sink = new ChunkCollector();
        RunSpec spec = treeSpec(pidFile, Duration.ofSeconds(2));
        RunningCommand command = runner.start(spec, sink);
        Set<Long> pids = treePids(pidFile);
        assertThat(pids).contains(command.pid());

        ExecOutcome outcome = command.completion().get(30, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(CommandStatus.TIMED_OUT);
        assertAllDead(pids);
        assertThat(sink.text(LogChunk.Stream.STDOUT)).isEqualTo("tree started\n");
        sink.assertWellFormed(outcome, spec.commandId());
    }

    @Test
    void cancel_kills_the_tree_and_reports_cancelled() throws Exception {
        Path pidFile = tmp.resolve("pids-cancel");
        ChunkCollector sink = new ChunkCollector();
        RunSpec spec = treeSpec(pidFile, Duration.ofMinutes(5));
        RunningCommand command = runner.start(spec, sink);
        Set<Long> pids = treePids(pidFile);

        command.cancel("operator asked");
        ExecOutcome outcome = command.completion().get(30, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(CommandStatus.CANCELLED);
        assertAllDead(pids);
        sink.assertWellFormed(outcome, spec.commandId());
    }

    @Test
    void a_tree_that_ignores_sigterm_is_killed_after_the_grace() throws Exception {
        Path pidFile = tmp.resolve("pids-stubborn");
        RunSpec spec = treeSpec(pidFile, null, "ignore-term");
        RunningCommand command = runner.start(spec, new ChunkCollector());
        Set<Long> pids = treePids(pidFile);

        command.cancel("stubborn");
        ExecOutcome outcome = command.completion().get(30, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(CommandStatus.CANCELLED);
        assertThat(outcome.exitCode()).isEqualTo(137); // SIGKILL: SIGTERM was ignored
        assertAllDead(pids);
    }

    @Test
    void cancel_after_the_program_exited_changes_nothing() throws Exception {
        RunningCommand command = runner.start(
                RunSpec.of(UUID.randomUUID().toString(), "test-node", List.of("/bin/true")), new ChunkCollector());
        ExecOutcome outcome = command.completion().get(30, TimeUnit.SECONDS);
        command.cancel("too late");
        assertThat(outcome.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(command.completion().get()).isSameAs(outcome);
    }

    @Test
    void closing_the_runner_kills_running_commands() throws Exception {
        Set<Thread> before = execThreads();
        runner.close();
        runner = new ProcessRunner(new RunnerOptions(16 * 1024, Duration.ofMillis(100), 4096, Duration.ofMillis(500)));
        Path pidFile = tmp.resolve("pids-close");
        RunningCommand command = runner.start(treeSpec(pidFile, null), new ChunkCollector());
        Set<Long> pids = treePids(pidFile);

        runner.close();

        assertThat(command.completion()).isDone();
        assertThat(command.completion().get().status()).isEqualTo(CommandStatus.CANCELLED);
        assertAllDead(pids);
        // Its threads stop too: every runner thread alive now was there before this runner.
        await().atMost(Duration.ofSeconds(20)).until(() -> before.containsAll(execThreads()));
    }

    private static Set<Thread> execThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("hostops-exec-")).collect(Collectors.toSet());
    }

    @Test
    void a_background_child_holding_the_output_open_does_not_hold_the_outcome_forever() throws Exception {
        // The program exits but leaves a child with its stdout. The pause before the exit lets the
        // reader block on the empty pipe, where the JDK cannot close it for us: the runner waits
        // the grace for the pipe, then reports the program's own exit.
        Path pidFile = tmp.resolve("pids-orphan");
        ChunkCollector sink = new ChunkCollector();
        RunSpec spec = new RunSpec(UUID.randomUUID().toString(), "test-node",
                List.of("/bin/sh", "-c", "sleep 300 & echo $! > \"$1\"; echo bye; sleep 0.2", "sh", pidFile.toString()),
                tmp, Map.of(), null);
        RunningCommand command = runner.start(spec, sink);
        ExecOutcome outcome = command.completion().get(30, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(sink.text(LogChunk.Stream.STDOUT)).isEqualTo("bye\n");
        sink.assertWellFormed(outcome, spec.commandId());
        readPids(pidFile).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
}
