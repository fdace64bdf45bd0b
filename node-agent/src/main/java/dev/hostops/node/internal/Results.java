package dev.hostops.node.internal;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.ErrorInfo;
import dev.hostops.contracts.message.PolicyDecision;
import dev.hostops.contracts.message.Result;
import dev.hostops.node.exec.ExecOutcome;
import java.time.Duration;
import java.time.Instant;

/** Builds the one result of a command from what happened to it. */
final class Results {
    private Results() {}

    static Result rejected(String id, String node, ErrorInfo error, PolicyDecision decision, String resolvedExecutable) {
        Instant now = Instant.now();
        return new Result(id, node, CommandStatus.REJECTED, null, null, now, null, resolvedExecutable, decision,
                null, null, 0, 0, 0, false, error);
    }

    static Result notRun(String id, String node, CommandStatus status, ErrorCode code, String message) {
        return Result.notRun(id, node, status, code.withMessage(message), null);
    }

    static Result lost(String id, String node, Instant startedAt, Long pid) {
        Instant now = Instant.now();
        Long duration = startedAt == null ? null : Duration.between(startedAt, now).toMillis();
        String message = "The node agent stopped while the command was running"
                + (pid != null && pid > 0 ? " (pid " + pid + ")" : "")
                + "; its outcome is unknown and it was not run again.";
        return new Result(id, node, CommandStatus.LOST, null, startedAt, now, duration, null, null,
                null, null, 0, 0, 0, false, ErrorCode.LOST.withMessage(message));
    }

    static Result ran(String id, String node, ExecOutcome o, String resolvedExecutable, PolicyDecision decision,
                      Duration timeout, String cancelReason) {
        ErrorInfo error = switch (o.status()) {
            case TIMED_OUT -> ErrorCode.TIMED_OUT.withMessage(
                    "The command ran longer than its timeout of " + human(timeout) + " and its process tree was killed.");
            case CANCELLED -> ErrorCode.CANCELLED.withMessage("The command was cancelled"
                    + (cancelReason == null || cancelReason.isBlank() ? "" : ": " + cancelReason)
                    + "; its process tree was killed.");
            default -> null;
        };
        return new Result(id, node, o.status(), o.exitCode(), o.startedAt(), o.finishedAt(), o.durationMs(),
                resolvedExecutable, decision, o.stdoutTail(), o.stderrTail(), o.stdoutBytes(), o.stderrBytes(),
                o.logChunks(), o.truncated(), error);
    }

    static String human(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + " ms";
        }
        long s = d.toSeconds();
        return s % 60 == 0 && s > 0 ? (s / 60) + " min" : s + " s";
    }
}
