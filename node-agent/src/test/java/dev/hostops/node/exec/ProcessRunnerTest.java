package dev.hostops.node.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.message.LogChunk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Runs real programs through the runner and checks what comes out. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ProcessRunnerTest {
    static final String NODE = "test-node";
    static final LogChunk.Stream OUT = LogChunk.Stream.STDOUT;
    static final LogChunk.Stream ERR = LogChunk.Stream.STDERR;

    private ProcessRunner runner = new ProcessRunner(RunnerOptions.defaults());

    @TempDir
    Path tmp;

    @AfterEach
    void closeRunner() {
        runner.close();
    }

    static RunSpec spec(String... argv) {
        return RunSpec.of(UUID.randomUUID().toString(), NODE, List.of(argv));
    }

    static ExecOutcome outcomeOf(RunningCommand command) throws Exception {
        return command.completion().get(60, TimeUnit.SECONDS);
    }

    @Test
    void echo_output_arrives_exactly_and_the_command_succeeds() throws Exception {
        ChunkCollector sink = new ChunkCollector();
        RunSpec spec = spec("/bin/echo", "hello", "world");
        RunningCommand command = runner.start(spec, sink);
        ExecOutcome outcome = outcomeOf(command);

        assertThat(outcome.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(outcome.exitCode()).isZero();
        assertThat(sink.text(OUT)).isEqualTo("hello world\n");
        assertThat(sink.text(ERR)).isEmpty();
        assertThat(outcome.stdoutTail()).isEqualTo("hello world\n");
        assertThat(outcome.stdoutBytes()).isEqualTo("hello world\n".getBytes(StandardCharsets.UTF_8).length);
        assertThat(outcome.truncated()).isFalse();
        assertThat(outcome.pid()).isEqualTo(command.pid());
        assertThat(outcome.finishedAt()).isAfterOrEqualTo(outcome.startedAt());
        sink.assertWellFormed(outcome, spec.commandId());
    }

    @Test
    void a_non_zero_exit_is_failed_with_its_code_and_stderr() throws Exception {
        ChunkCollector sink = new ChunkCollector();
        RunSpec spec = spec("/bin/sh", "-c", "echo oops >&2; exit 3");
        ExecOutcome outcome = outcomeOf(runner.start(spec, sink));

        assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(sink.text(ERR)).isEqualTo("oops\n");
        assertThat(outcome.stderrTail()).isEqualTo("oops\n");
        sink.assertWellFormed(outcome, spec.commandId());
    }

    @Test
    void stdin_is_closed_so_cat_ends_at_once() throws Exception {
        ChunkCollector sink = new ChunkCollector();
        ExecOutcome outcome = outcomeOf(runner.start(spec("/bin/cat"), sink));
        assertThat(outcome.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(outcome.stdoutBytes()).isZero();
    }

    @Test
    void the_workdir_and_env_overrides_are_used_and_the_agent_env_is_kept() throws Exception {
        ChunkCollector sink = new ChunkCollector();
        Path dir = Files.createDirectory(tmp.resolve("work dir"));
        RunSpec spec = new RunSpec(UUID.randomUUID().toString(), NODE,
                List.of("/bin/sh", "-c", "pwd; echo \"$HOSTOPS_TEST_VAR\"; echo \"$PATH\""),
                dir, Map.of("HOSTOPS_TEST_VAR", "value with spaces"), Duration.ofSeconds(30));
        ExecOutcome outcome = outcomeOf(runner.start(spec, sink));

        assertThat(outcome.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(sink.text(OUT)).isEqualTo(dir.toRealPath() + "\nvalue with spaces\n" + System.getenv("PATH") + "\n");
    }

    @Test
    void argv_is_not_interpreted_by_a_shell() throws Exception {
        ChunkCollector sink = new ChunkCollector();
        outcomeOf(runner.start(spec("/bin/echo", "$HOME", "*", "a;b", "`id`"), sink));
        assertThat(sink.text(OUT)).isEqualTo("$HOME * a;b `id`\n");
    }

    @Test
    void a_missing_program_is_a_spawn_exception_that_says_so() {
        assertThatThrownBy(() -> runner.start(spec("/nonexistent/hostops-nothing"), new ChunkCollector()))
                .isInstanceOfSatisfying(SpawnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.EXECUTABLE_NOT_FOUND);
                    assertThat(e.getMessage()).contains("/nonexistent/hostops-nothing");
                });
    }

    @Test
    void a_missing_workdir_is_a_spawn_exception_that_says_so() {
        RunSpec spec = new RunSpec(UUID.randomUUID().toString(), NODE, List.of("/bin/true"),
                tmp.resolve("missing"), Map.of(), null);
        assertThatThrownBy(() -> runner.start(spec, new ChunkCollector()))
                .isInstanceOfSatisfying(SpawnException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKDIR_NOT_FOUND));
    }

    @Test
    void a_file_that_is_not_executable_is_a_spawn_failure() throws Exception {
        Path script = Files.writeString(tmp.resolve("not-executable.sh"), "#!/bin/sh\necho hi\n");
        assertThatThrownBy(() -> runner.start(spec(script.toString()), new ChunkCollector()))
                .isInstanceOfSatisfying(SpawnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SPAWN_FAILED);
                    assertThat(e.getMessage()).contains("Permission denied");
                });
    }

    @Test
    void invalid_utf8_is_carried_as_base64_and_reassembled_exactly() throws Exception {
        ChunkCollector sink = new ChunkCollector();
        RunSpec spec = spec("/bin/sh", "-c", "printf 'ok\\377\\376\\000end'");
        ExecOutcome outcome = outcomeOf(runner.start(spec, sink));

        byte[] expected = {'o', 'k', (byte) 0xFF, (byte) 0xFE, 0, 'e', 'n', 'd'};
        assertThat(sink.bytes(OUT)).isEqualTo(expected);
        assertThat(sink.chunks()).filteredOn(c -> c.stream() == OUT && !c.data().isEmpty())
                .allSatisfy(c -> assertThat(c.encoding()).isEqualTo(LogChunk.BASE64));
        assertThat(outcome.stdoutTail()).startsWith("ok\uFFFD\uFFFD");
        sink.assertWellFormed(outcome, spec.commandId());
    }

    @Test
    void multibyte_text_cut_into_small_chunks_stays_text() throws Exception {
        runner.close();
        runner = new ProcessRunner(new RunnerOptions(1000, Duration.ofMillis(100), 64, Duration.ofSeconds(2)));
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 200_000; i++) {
            text.append("línea ").append(i).append(" € 😀 日本語\n");
        }
        Path file = Files.writeString(tmp.resolve("utf8.txt"), text);
        ChunkCollector sink = new ChunkCollector();
        RunSpec spec = spec("/bin/cat", file.toString());
        ExecOutcome outcome = outcomeOf(runner.start(spec, sink));

        assertThat(sink.text(OUT)).isEqualTo(text.toString());
        assertThat(sink.chunks()).allSatisfy(c -> {
            assertThat(c.encoding()).isNull();
            assertThat(c.data().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1000);
        });
        assertThat(outcome.truncated()).isTrue();
        assertThat(outcome.stdoutTail()).endsWith(" € 😀 日本語\n");
        sink.assertWellFormed(outcome, spec.commandId());
    }

    @Test
    void a_few_bytes_are_sent_while_the_program_is_still_running() throws Exception {
        ChunkCollector sink = new ChunkCollector();
        RunningCommand command = runner.start(spec("/bin/sh", "-c", "echo first; exec sleep 300"), sink);

        await().atMost(Duration.ofSeconds(20)).until(() -> sink.text(OUT).equals("first\n"));
        // The chunk came by the flush timer: the program has neither exited nor filled a chunk.
        assertThat(ProcessHandle.of(command.pid()).map(ProcessHandle::isAlive)).contains(true);
        assertThat(command.completion()).isNotDone();

        command.cancel("test is done");
        assertThat(outcomeOf(command).status()).isEqualTo(CommandStatus.CANCELLED);
    }

    @Test
    void a_failing_sink_loses_no_later_chunk_and_no_sequence_number() throws Exception {
        ChunkCollector kept = new ChunkCollector();
        LogSink failing = chunk -> {
            kept.onChunk(chunk);
            throw new IllegalStateException("broker is down");
        };
        RunSpec spec = spec("/bin/sh", "-c", "echo one; echo two >&2; echo three");
        ExecOutcome outcome = outcomeOf(runner.start(spec, failing));

        assertThat(outcome.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(kept.text(OUT)).isEqualTo("one\nthree\n");
        assertThat(kept.text(ERR)).isEqualTo("two\n");
        kept.assertWellFormed(outcome, spec.commandId());
    }

    @Test
    void a_closed_runner_refuses_new_commands() {
        runner.close();
        assertThatThrownBy(() -> runner.start(spec("/bin/true"), new ChunkCollector()))
                .isInstanceOf(IllegalStateException.class);
    }
}
