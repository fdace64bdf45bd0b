package dev.hostops.dispatcher.ledger.internal;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/**
 * One queued write: the command id it touches (so a batch can read all its rows at once), the
 * work, and the future completed after the transaction that ran it has committed. The work must
 * be repeatable: when a batch fails, each op runs again alone in a fresh transaction.
 */
final class Op<T> {

    /** The work of an op, inside an open transaction. */
    @FunctionalInterface
    interface Body<T> {
        T apply(Batch batch) throws SQLException;
    }

    final String commandId;
    final Body<T> body;
    final CompletableFuture<T> future = new CompletableFuture<>();
    T value;

    Op(String commandId, Body<T> body) {
        this.commandId = commandId;
        this.body = body;
    }

    void run(Batch batch) throws SQLException {
        value = body.apply(batch);
    }

    void complete() {
        future.complete(value);
    }
}
