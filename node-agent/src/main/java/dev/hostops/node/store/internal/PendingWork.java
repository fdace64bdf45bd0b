package dev.hostops.node.store.internal;

import dev.hostops.node.store.StoreException;
import java.util.concurrent.CompletableFuture;

/**
 * One caller's write, waiting to be run in a group commit. Its outcome is set only once the
 * transaction that contains it committed (or the work failed and was rolled back), so a caller
 * never learns of a value that is not durable.
 */
final class PendingWork<T> {
    final String doing;
    final SqliteDatabase.Work<T> work;

    private T staged;
    private Exception stagedFailure;
    private boolean done;
    private T value;
    private Exception failure;

    /** False for a write whose loss in a power cut is harmless: it may commit without an fsync. */
    final boolean mustSync;

    /** Where an asynchronous caller learns the outcome; null for a caller that waits on the lock. */
    private final CompletableFuture<T> future;

    PendingWork(String doing, SqliteDatabase.Work<T> work, boolean mustSync) {
        this(doing, work, mustSync, null);
    }

    private PendingWork(String doing, SqliteDatabase.Work<T> work, boolean mustSync, CompletableFuture<T> future) {
        this.doing = doing;
        this.work = work;
        this.mustSync = mustSync;
        this.future = future;
    }

    /** A write whose caller does not wait: its outcome arrives through {@link #future()}. */
    static <T> PendingWork<T> asynchronous(String doing, SqliteDatabase.Work<T> work, boolean mustSync) {
        return new PendingWork<>(doing, work, mustSync, new CompletableFuture<>());
    }

    CompletableFuture<T> future() {
        return future;
    }

    /**
     * Hands the outcome to an asynchronous caller. Called after the database lock is released,
     * since the caller's next stages may run on this thread.
     */
    void publish() {
        if (future == null) {
            return;
        }
        T v;
        Exception f;
        synchronized (this) {
            if (!done) {
                throw new IllegalStateException("the write '" + doing + "' has no outcome yet");
            }
            v = value;
            f = failure;
        }
        if (f != null) {
            future.completeExceptionally(f);
        } else {
            future.complete(v);
        }
    }

    /** Remembers the work's value until the transaction commits. */
    void stage(T v) {
        staged = v;
        stagedFailure = null;
    }

    /**
     * Remembers the work's refusal until the transaction commits: the refusal may depend on
     * earlier writes of the same group, which count only if they commit.
     */
    void stageFailure(Exception e) {
        staged = null;
        stagedFailure = e;
    }

    /** The transaction committed: the staged value or refusal becomes the outcome. */
    void commitStaged() {
        if (stagedFailure != null) {
            fail(stagedFailure);
        } else {
            succeed(staged);
        }
    }

    synchronized void succeed(T v) {
        value = v;
        done = true;
    }

    /** A {@link StoreException} or a {@link RuntimeException}. */
    synchronized void fail(Exception e) {
        failure = e;
        done = true;
    }

    synchronized boolean isDone() {
        return done;
    }

    synchronized T outcome() throws StoreException {
        if (!done) {
            throw new IllegalStateException("the write '" + doing + "' has no outcome yet");
        }
        if (failure instanceof StoreException se) {
            throw se;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        return value;
    }
}
