package dev.hostops.dispatcher.ledger.internal;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/**
 * One queued write: the command id it touches (so a batch can read all its rows at once), the
 * work, and the future completed after the transaction that ran it has committed. The work must
 * be repeatable: when a batch fails, each op runs again alone in a fresh transaction.
 *
 * <p>A {@linkplain #lazy lazy} op is one whose loss in a power cut is harmless: a batch of only
 * such ops is committed without waiting for the disk (it still survives a killed dispatcher), and
 * the next flushed commit covers it. See {@code Writer}.
 */
final class Op<T> {

    /** The work of an op, inside an open transaction. */
    @FunctionalInterface
    interface Body<T> {
        T apply(Batch batch) throws SQLException;
    }

    final String commandId;
    final Body<T> body;
    /** Its commit must reach the disk before the op counts as done (unless the ledger's durability says otherwise). */
    final boolean mustFlush;
    final CompletableFuture<T> future = new CompletableFuture<>();
    T value;

    Op(String commandId, Body<T> body) {
        this(commandId, body, true);
    }

    private Op(String commandId, Body<T> body, boolean mustFlush) {
        this.commandId = commandId;
        this.body = body;
        this.mustFlush = mustFlush;
    }

    /** An op whose loss in a power cut is harmless: an intermediate state, a mark a restart can redo. */
    static <T> Op<T> lazy(String commandId, Body<T> body) {
        return new Op<>(commandId, body, false);
    }

    void run(Batch batch) throws SQLException {
        value = body.apply(batch);
    }

    void complete() {
        future.complete(value);
    }
}
