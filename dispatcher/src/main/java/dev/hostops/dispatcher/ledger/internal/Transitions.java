package dev.hostops.dispatcher.ledger.internal;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.ErrorInfo;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import dev.hostops.dispatcher.ledger.Anomaly;
import dev.hostops.dispatcher.ledger.Applied;
import dev.hostops.dispatcher.ledger.SubmitOutcome;
import java.time.Instant;

/**
 * The correlation rules: how each event changes a command row. No SQL here; the same rules hold
 * whatever the order or the number of times events arrive:
 * <ul>
 *   <li>a status only moves forward ({@link CommandStatus#rank()}); a terminal one never changes;</li>
 *   <li>each state's time is recorded once, even when the state arrives after a later one;</li>
 *   <li>the first result decides; a repeat is a duplicate, a contradiction is an anomaly;</li>
 *   <li>an exec completes a row made from its states or result;</li>
 *   <li>a state or result from another node than the command's is an anomaly, never applied.</li>
 * </ul>
 */
final class Transitions {
    static final String ORIGIN_EXEC = "exec";
    static final String ORIGIN_STATE = "state";
    static final String ORIGIN_RESULT = "result";
    static final String ORIGIN_DISPATCHER = "dispatcher";

    private final Json json;

    Transitions(Json json) {
        this.json = json;
    }

    /** Marks the exec of {@code id} as published by this dispatcher (the first time counts). */
    void published(Workspace ws, String id, long at) {
        CommandRow row = ws.find(id);
        if (row != null && row.publishedAt == null) {
            row.publishedAt = at;
            ws.touch(row);
        }
    }

    /**
     * Records an exec; {@code execJson} is its wire form (encoded by the caller, off the writer
     * thread). {@code expiryDefaulted}: see {@link dev.hostops.dispatcher.ledger.Ledger#recordCommandAsync(
     * Exec, String, String, java.time.Instant, boolean)}.
     */
    SubmitOutcome.Kind exec(Workspace ws, Exec exec, String execJson, String source, String requestId, long at,
                            boolean expiryDefaulted) {
        CommandRow row = ws.find(exec.id());
        if (row == null) {
            row = CommandRow.created(exec.id(), exec.node(), CommandStatus.QUEUED, at);
            fillExec(row, exec, execJson, source, requestId, at);
            ws.add(row);
            ws.history(row.id, CommandStatus.QUEUED, at, ORIGIN_EXEC, source);
            return SubmitOutcome.Kind.CREATED;
        }
        if (row.execJson != null) {
            if (requestId != null && !requestId.equals(row.requestId)) {
                // An invocation of a fan-out request whose id another command took first: that
                // command is not this invocation, whatever it holds.
                return SubmitOutcome.Kind.CONFLICT;
            }
            if (row.execJson.equals(execJson)) {
                return SubmitOutcome.Kind.EXISTS;
            }
            Exec stored = json.exec(row.execJson);
            boolean same = expiryDefaulted ? withoutDeadline(stored).equals(withoutDeadline(exec)) : stored.equals(exec);
            return same ? SubmitOutcome.Kind.EXISTS : SubmitOutcome.Kind.CONFLICT;
        }
        if (!row.node.equals(exec.node())) {
            // Its states or result came from another node: this exec is not the command they were about.
            return SubmitOutcome.Kind.CONFLICT;
        }
        // States or a result arrived first: the exec completes the row, the status stays where it is.
        fillExec(row, exec, execJson, source, requestId, at);
        row.createdAt = Math.min(row.createdAt, at);
        ws.touch(row);
        ws.history(row.id, CommandStatus.QUEUED, at, ORIGIN_EXEC, source);
        return SubmitOutcome.Kind.CREATED;
    }

    /** What makes two execs the same command when the second one's deadline was filled in for it. */
    private static Exec withoutDeadline(Exec e) {
        return e.withExpiresAt(null).withSignature(null);
    }

    private static void fillExec(CommandRow row, Exec exec, String execJson, String source, String requestId, long at) {
        row.execJson = execJson;
        row.source = source;
        row.requestId = requestId;
        row.expiresAt = exec.expiresAt() == null ? null : exec.expiresAt().toEpochMilli();
        row.queuedAt = at;
    }

    Applied state(Workspace ws, StateChange s) {
        long at = s.at().toEpochMilli();
        CommandStatus to = s.status();
        CommandRow row = ws.find(s.id());
        if (to.isTerminal() || to == CommandStatus.QUEUED) {
            // A node reports only DELIVERED, AWAITING_APPROVAL and RUNNING; an end comes as a result.
            return new Applied(Applied.Outcome.IGNORED, s.id(), row == null ? to : row.status);
        }
        if (row == null) {
            row = CommandRow.created(s.id(), s.node(), to, at);
            row.setTimeOf(to, at);
            ws.add(row);
            ws.history(row.id, to, at, ORIGIN_STATE, s.detail());
            return new Applied(Applied.Outcome.APPLIED, row.id, to);
        }
        if (!row.node.equals(s.node())) {
            ws.anomaly(anomaly(row, Anomaly.Kind.WRONG_NODE, to, json.encode(s)));
            return new Applied(Applied.Outcome.ANOMALY, row.id, row.status);
        }
        if (row.timeOf(to) != null) {
            return new Applied(Applied.Outcome.DUPLICATE, row.id, row.status);
        }
        row.setTimeOf(to, at);
        row.createdAt = Math.min(row.createdAt, at);
        ws.touch(row);
        ws.history(row.id, to, at, ORIGIN_STATE, s.detail());
        if (row.status == CommandStatus.EXPIRED && row.resultJson == null && to == CommandStatus.RUNNING) {
            ws.anomaly(anomaly(row, Anomaly.Kind.STARTED_AFTER_EXPIRED, to, json.encode(s)));
            return new Applied(Applied.Outcome.ANOMALY, row.id, row.status);
        }
        if (row.status.isTerminal() || to.rank() <= row.status.rank()) {
            return new Applied(Applied.Outcome.IGNORED, row.id, row.status);
        }
        row.status = to;
        return new Applied(Applied.Outcome.APPLIED, row.id, to);
    }

    /** Applies a result; {@code resultJson} is its wire form (encoded by the caller, off the writer thread). */
    Applied result(Workspace ws, Result r, String resultJson, long now) {
        long at = r.finishedAt() != null ? r.finishedAt().toEpochMilli()
                : r.startedAt() != null ? r.startedAt().toEpochMilli() : now;
        CommandRow row = ws.find(r.id());
        if (row == null) {
            row = CommandRow.created(r.id(), r.node(), r.status(), at);
            fillResult(row, r, resultJson);
            ws.add(row);
            ws.history(row.id, r.status(), at, ORIGIN_RESULT, null);
            return new Applied(Applied.Outcome.APPLIED, row.id, row.status);
        }
        if (!row.node.equals(r.node())) {
            ws.anomaly(anomaly(row, Anomaly.Kind.WRONG_NODE, r.status(), resultJson));
            return new Applied(Applied.Outcome.ANOMALY, row.id, row.status);
        }
        if (row.status.isTerminal()) {
            if (row.resultJson != null) {
                if (row.resultJson.equals(resultJson)) {
                    return new Applied(Applied.Outcome.DUPLICATE, row.id, row.status);
                }
                ws.anomaly(anomaly(row, Anomaly.Kind.CONFLICTING_RESULT, r.status(), resultJson));
                return new Applied(Applied.Outcome.ANOMALY, row.id, row.status);
            }
            if (row.status == r.status()) {
                // The node confirms what the dispatcher declared (it checked expiresAt itself): keep its details.
                row.resultJson = resultJson;
                row.exitCode = r.exitCode();
                row.startedAt = r.startedAt() == null ? null : r.startedAt().toEpochMilli();
                ws.touch(row);
                return new Applied(Applied.Outcome.APPLIED, row.id, row.status);
            }
            Anomaly.Kind kind = row.status == CommandStatus.EXPIRED ? Anomaly.Kind.RESULT_AFTER_EXPIRED
                    : row.status == CommandStatus.LOST ? Anomaly.Kind.RESULT_AFTER_LOST
                    : Anomaly.Kind.CONFLICTING_RESULT;
            ws.anomaly(anomaly(row, kind, r.status(), resultJson));
            return new Applied(Applied.Outcome.ANOMALY, row.id, row.status);
        }
        fillResult(row, r, resultJson);
        row.createdAt = Math.min(row.createdAt, at);
        ws.touch(row);
        ws.history(row.id, r.status(), at, ORIGIN_RESULT, null);
        return new Applied(Applied.Outcome.APPLIED, row.id, row.status);
    }

    private static void fillResult(CommandRow row, Result r, String resultJson) {
        row.status = r.status();
        row.exitCode = r.exitCode();
        row.startedAt = r.startedAt() == null ? null : r.startedAt().toEpochMilli();
        row.finishedAt = r.finishedAt() == null ? null : r.finishedAt().toEpochMilli();
        row.errorCode = r.error() == null ? null : r.error().code();
        row.errorMessage = r.error() == null ? null : r.error().message();
        row.resultJson = resultJson;
    }

    /** QUEUED to EXPIRED, declared by the dispatcher. Returns false when the row is no longer QUEUED. */
    boolean expire(Workspace ws, CommandRow row, long now) {
        return declare(ws, row, CommandStatus.QUEUED, CommandStatus.EXPIRED, ErrorCode.EXPIRED.info(), now);
    }

    /**
     * To LOST, declared by the dispatcher for a node that went away: a RUNNING command, or a
     * DELIVERED / AWAITING_APPROVAL one whose delivery deadline (plus grace) has passed at
     * {@code now}, since the node either expired it or started it before the deadline and the
     * ledger cannot tell which (LOST: outcome unknown, never re-run). A delivered command without
     * a deadline is left alone: the node may still run it when it comes back. Returns false when
     * the row does not qualify.
     */
    boolean lose(Workspace ws, CommandRow row, long now, long expiryGraceMillis) {
        boolean qualifies = row.status == CommandStatus.RUNNING
                || ((row.status == CommandStatus.DELIVERED || row.status == CommandStatus.AWAITING_APPROVAL)
                    && row.expiresAt != null && row.expiresAt + expiryGraceMillis <= now);
        return qualifies && declare(ws, row, row.status, CommandStatus.LOST, ErrorCode.LOST.info(), now);
    }

    private static boolean declare(Workspace ws, CommandRow row, CommandStatus from, CommandStatus to, ErrorInfo error,
                                   long now) {
        if (row.status != from) {
            return false;
        }
        row.status = to;
        row.finishedAt = now;
        row.errorCode = error.code();
        row.errorMessage = error.message();
        ws.touch(row);
        ws.history(row.id, to, now, ORIGIN_DISPATCHER, null);
        return true;
    }

    private static Anomaly anomaly(CommandRow row, Anomaly.Kind kind, CommandStatus received, String payload) {
        return new Anomaly(row.id, row.node, kind, row.status, received, payload, Instant.now());
    }
}
