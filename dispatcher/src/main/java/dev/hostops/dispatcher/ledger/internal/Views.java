package dev.hostops.dispatcher.ledger.internal;

import dev.hostops.contracts.ErrorInfo;
import dev.hostops.contracts.message.Exec;
import dev.hostops.dispatcher.ledger.CommandView;
import dev.hostops.dispatcher.ledger.StateTimes;
import java.time.Instant;

/** Turns command rows into the views the API returns. */
final class Views {
    private final Json json;

    Views(Json json) {
        this.json = json;
    }

    /** The exec a row holds (the caller checked that it holds one). */
    Exec exec(CommandRow r) {
        return json.exec(r.execJson);
    }

    Exec exec(String execJson) {
        return json.exec(execJson);
    }

    CommandView command(CommandRow r) {
        return command(r, r.execJson == null ? null : json.exec(r.execJson));
    }

    /** The view of a row whose exec the caller already holds (saves decoding it again). */
    CommandView command(CommandRow r, Exec exec) {
        StateTimes times = new StateTimes(instant(r.queuedAt), instant(r.deliveredAt), instant(r.awaitingApprovalAt),
                instant(r.runningAt), instant(r.startedAt), instant(r.finishedAt));
        ErrorInfo error = r.errorCode == null ? null
                : new ErrorInfo(r.errorCode, r.errorMessage == null ? "" : r.errorMessage);
        return new CommandView(r.id, r.node, r.status,
                exec == null ? null : exec.argv(),
                exec == null ? null : exec.command(),
                exec == null ? null : exec.workdir(),
                exec == null ? null : exec.labels(),
                exec == null ? null : exec.timeoutMs(),
                exec == null ? null : exec.expiresAt(),
                exec == null ? null : exec.requestedBy(),
                r.source, r.requestId, times, r.exitCode, error, r.resultJson, Instant.ofEpochMilli(r.createdAt),
                exec != null);
    }

    static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
