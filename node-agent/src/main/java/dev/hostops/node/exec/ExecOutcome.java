package dev.hostops.node.exec;

import dev.hostops.contracts.CommandStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How a started command ended.
 *
 * @param status      SUCCEEDED (exit 0), FAILED (exit != 0), TIMED_OUT or CANCELLED (the tree was killed)
 * @param exitCode    the process's exit code as the OS reported it; for a killed command this is
 *                    the code of the kill (e.g. 143 or 137 on POSIX), present for the record
 * @param startedAt   when the process was started
 * @param finishedAt  when the process exited
 * @param durationMs  from start to exit, measured with a monotonic clock
 * @param stdoutTail  the last bytes of stdout decoded for a person (invalid bytes replaced)
 * @param stderrTail  the same for stderr
 * @param stdoutBytes every byte the process wrote to stdout
 * @param stderrBytes every byte the process wrote to stderr
 * @param logChunks   how many chunks were handed to the sink (sequence numbers 0..logChunks-1)
 * @param truncated   true when a tail is shorter than its stream
 * @param pid         the process id of the started program
 */
public record ExecOutcome(CommandStatus status, Integer exitCode, Instant startedAt, Instant finishedAt,
                          long durationMs, String stdoutTail, String stderrTail, long stdoutBytes,
                          long stderrBytes, long logChunks, boolean truncated, long pid) {

    private static final Set<CommandStatus> ALLOWED = EnumSet.of(
            CommandStatus.SUCCEEDED, CommandStatus.FAILED, CommandStatus.TIMED_OUT, CommandStatus.CANCELLED);

    public ExecOutcome {
        Objects.requireNonNull(status, "status must not be null");
        if (!ALLOWED.contains(status)) {
            throw new IllegalArgumentException("status must be SUCCEEDED, FAILED, TIMED_OUT or CANCELLED, not " + status);
        }
        Objects.requireNonNull(startedAt, "startedAt must not be null");
        Objects.requireNonNull(finishedAt, "finishedAt must not be null");
        stdoutTail = Objects.requireNonNullElse(stdoutTail, "");
        stderrTail = Objects.requireNonNullElse(stderrTail, "");
        if (durationMs < 0 || stdoutBytes < 0 || stderrBytes < 0 || logChunks < 0) {
            throw new IllegalArgumentException("durationMs, byte counts and logChunks must not be negative");
        }
    }
}
