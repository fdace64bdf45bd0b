package dev.hostops.node.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.LogChunk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Large outputs arrive complete and in order; many commands run side by side. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class BulkOutputTest {
    private static final int TEN_MIB = 10 * 1024 * 1024;

    private final ProcessRunner runner = new ProcessRunner(RunnerOptions.defaults());

    @TempDir
    Path tmp;

    @AfterEach
    void closeRunner() {
        runner.close();
    }

    /** Hashes one stream as chunks arrive and checks the sequence, without keeping 10 MiB of chunks. */
    private static final class DigestingSink implements LogSink {
        final MessageDigest stdout = sha256();
        final AtomicLong nextSeq = new AtomicLong();
        final List<String> problems = new ArrayList<>();
        long stdoutBytes;
        long base64Chunks;
        long largestChunk;

        @Override
        public synchronized void onChunk(LogChunk chunk) {
            if (chunk.seq() != nextSeq.getAndIncrement()) {
                problems.add("seq " + chunk.seq() + " where " + (nextSeq.get() - 1) + " was expected");
            }
            byte[] bytes = chunk.bytes();
            largestChunk = Math.max(largestChunk, bytes.length);
            if (LogChunk.BASE64.equals(chunk.encoding())) {
                base64Chunks++;
            }
            if (chunk.stream() == LogChunk.Stream.STDOUT) {
                stdout.update(bytes);
                stdoutBytes += bytes.length;
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void ten_mib_of_random_bytes_arrive_complete_and_in_order() throws Exception {
        Path file = tmp.resolve("random.bin");
        // Made by the OS, not by the test: the runner must carry what a program really wrote.
        ExecOutcome made = runner.start(new RunSpec(UUID.randomUUID().toString(), "test-node",
                List.of("/bin/sh", "-c", "head -c " + TEN_MIB + " /dev/urandom > random.bin"), tmp, Map.of(), null),
                new ChunkCollector()).completion().get(60, TimeUnit.SECONDS);
        assertThat(made.status()).isEqualTo(CommandStatus.SUCCEEDED);
        String expected = HexFormat.of().formatHex(sha256().digest(Files.readAllBytes(file)));

        DigestingSink sink = new DigestingSink();
        RunSpec spec = RunSpec.of(UUID.randomUUID().toString(), "test-node", List.of("/bin/cat", file.toString()));
        ExecOutcome outcome = runner.start(spec, sink).completion().get(120, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(sink.problems).isEmpty();
        assertThat(sink.stdoutBytes).isEqualTo(TEN_MIB);
        assertThat(outcome.stdoutBytes()).isEqualTo(TEN_MIB);
        assertThat(HexFormat.of().formatHex(sink.stdout.digest())).isEqualTo(expected);
        assertThat(outcome.logChunks()).isEqualTo(sink.nextSeq.get());
        assertThat(sink.largestChunk).isLessThanOrEqualTo(RunnerOptions.DEFAULT_CHUNK_BYTES);
        assertThat(sink.base64Chunks).isPositive();
        assertThat(outcome.truncated()).isTrue();
        assertThat(outcome.stdoutTail()).isNotEmpty();
    }

    @Test
    void a_stream_of_text_from_yes_arrives_complete() throws Exception {
        DigestingSink sink = new DigestingSink();
        int bytes = 4 * 1024 * 1024;
        RunSpec spec = RunSpec.of(UUID.randomUUID().toString(), "test-node",
                // The non-ASCII bytes are made by printf so that the JVM's argv encoding plays no part.
                List.of("/bin/sh", "-c", "yes \"$(printf 'hostops \\342\\234\\223 l\\303\\255nea')\" | head -c " + bytes));
        ExecOutcome outcome = runner.start(spec, sink).completion().get(120, TimeUnit.SECONDS);

        byte[] line = "hostops ✓ línea\n".getBytes(StandardCharsets.UTF_8);
        MessageDigest expected = sha256();
        for (int written = 0; written < bytes; written += line.length) {
            expected.update(line, 0, Math.min(line.length, bytes - written));
        }
        assertThat(sink.problems).isEmpty();
        assertThat(sink.stdoutBytes).isEqualTo(bytes);
        assertThat(sink.stdout.digest()).isEqualTo(expected.digest());
        // Only the very end may be cut inside a character (head -c): everything else stays text.
        assertThat(sink.base64Chunks).isLessThanOrEqualTo(1);
        assertThat(outcome.logChunks()).isEqualTo(sink.nextSeq.get());
    }

    @Test
    void many_commands_at_once_each_get_their_own_complete_output() throws Exception {
        int commands = 16;
        List<RunningCommand> running = new ArrayList<>();
        List<ChunkCollector> sinks = new ArrayList<>();
        for (int i = 0; i < commands; i++) {
            ChunkCollector sink = new ChunkCollector();
            sinks.add(sink);
            running.add(runner.start(new RunSpec(UUID.randomUUID().toString(), "test-node", List.of("/bin/sh", "-c",
                    "i=0; while [ $i -lt 300 ]; do echo \"$1 out $i\"; echo \"$1 err $i\" >&2; i=$((i+1)); done; exit $2",
                    "sh", "cmd" + i, Integer.toString(i % 3)), null, Map.of(), Duration.ofMinutes(2)), sink));
        }
        for (int i = 0; i < commands; i++) {
            ExecOutcome outcome = running.get(i).completion().get(120, TimeUnit.SECONDS);
            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            for (int n = 0; n < 300; n++) {
                out.append("cmd").append(i).append(" out ").append(n).append('\n');
                err.append("cmd").append(i).append(" err ").append(n).append('\n');
            }
            assertThat(sinks.get(i).text(LogChunk.Stream.STDOUT)).isEqualTo(out.toString());
            assertThat(sinks.get(i).text(LogChunk.Stream.STDERR)).isEqualTo(err.toString());
            assertThat(outcome.exitCode()).isEqualTo(i % 3);
            assertThat(outcome.status()).isEqualTo(i % 3 == 0 ? CommandStatus.SUCCEEDED : CommandStatus.FAILED);
            sinks.get(i).assertWellFormed(outcome, running.get(i).commandId());
        }
    }
}
