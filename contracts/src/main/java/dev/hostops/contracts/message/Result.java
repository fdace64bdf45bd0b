package dev.hostops.contracts.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ContractViolation;
import dev.hostops.contracts.ErrorInfo;
import java.time.Instant;

/**
 * The one final result of a command. {@code status} is terminal. {@code error} is present when the
 * command did not run or did not finish normally.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Result(
        String id,
        String node,
        CommandStatus status,
        Integer exitCode,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        String resolvedExecutable,
        PolicyDecision policy,
        String stdoutTail,
        String stderrTail,
        long stdoutBytes,
        long stderrBytes,
        long logChunks,
        boolean truncated,
        ErrorInfo error) implements Message {

    public Result {
        Checks.id(id);
        Checks.node(node);
        Checks.required(status, "status");
        if (!status.isTerminal()) {
            throw ContractViolation.invalid("status", "status must be terminal, not " + status);
        }
        Checks.nonNegative(stdoutBytes, "stdoutBytes");
        Checks.nonNegative(stderrBytes, "stderrBytes");
        Checks.nonNegative(logChunks, "logChunks");
    }

    /** A result for a command that never ran (REJECTED, EXPIRED, ...). */
    public static Result notRun(String id, String node, CommandStatus status, ErrorInfo error, PolicyDecision policy) {
        Instant now = Instant.now();
        return new Result(id, node, status, null, null, now, null, null, policy, null, null, 0, 0, 0, false, error);
    }
}
