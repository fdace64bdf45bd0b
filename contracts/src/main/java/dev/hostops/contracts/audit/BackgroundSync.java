package dev.hostops.contracts.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongConsumer;

/**
 * The asynchronous side of {@link AuditLog}'s group commit: one thread waits for appenders that
 * asked to be told when their line is on the disk, runs one sync covering every such line written
 * so far, and completes their futures. So thousands of appends per second cost a few fsyncs and no
 * blocked caller threads.
 */
final class BackgroundSync {
    private record Waiter(long seq, CompletableFuture<Void> synced) {}

    private static final Waiter STOP = new Waiter(Long.MIN_VALUE, null);

    private final LinkedBlockingQueue<Waiter> waiters = new LinkedBlockingQueue<>();
    /** Returns once every line up to the given seq is synced; throws AuditException if it cannot. */
    private final LongConsumer syncThrough;
    private final Thread thread;
    private volatile boolean stopped;

    BackgroundSync(LongConsumer syncThrough, String name) {
        this.syncThrough = syncThrough;
        this.thread = new Thread(this::loop, "hostops-audit-sync " + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A future that completes once line {@code seq} (already written) is synced. */
    CompletableFuture<Void> after(long seq) {
        Waiter w = new Waiter(seq, new CompletableFuture<>());
        waiters.add(w);
        if (stopped) {
            // Closing or closed: the thread may be gone and close() past its last drain. Serve
            // whatever waits here (the sync fails with the log's own error once the file is closed).
            List<Waiter> late = new ArrayList<>();
            waiters.drainTo(late);
            if (late.remove(STOP)) {
                waiters.add(STOP); // the thread's, not ours: it still has to see it and end
            }
            syncAndComplete(late);
        }
        return w.synced;
    }

    private void loop() {
        List<Waiter> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(waiters.take());
            } catch (InterruptedException e) {
                // Only close() stops this thread, through STOP: waiters must not be abandoned.
                continue;
            }
            waiters.drainTo(batch);
            stopping = batch.remove(STOP);
            syncAndComplete(batch);
            batch.clear();
        }
    }

    private void syncAndComplete(List<Waiter> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long through = batch.stream().mapToLong(Waiter::seq).max().orElseThrow();
        try {
            syncThrough.accept(through);
        } catch (RuntimeException e) {
            batch.forEach(w -> w.synced.completeExceptionally(e));
            return;
        }
        batch.forEach(w -> w.synced.complete(null));
    }

    /** Syncs for every waiter there is, then stops the thread. Call before the file is closed. */
    void close() {
        stopped = true; // before STOP: an appender that then misses the last drain serves itself
        waiters.add(STOP);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        // A waiter added after STOP (its line was written just before the log closed) is served here.
        List<Waiter> late = new ArrayList<>();
        waiters.drainTo(late);
        syncAndComplete(late);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
