package dev.hostops.contracts.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The asynchronous side of {@link AuditLog}'s group commit: one thread waits for appenders that
 * asked to be told when their line is on the disk, runs one sync covering every such line written
 * so far, and completes their futures. So thousands of appends per second cost a few fsyncs and no
 * blocked caller threads.
 *
 * <p>A waiter may accept a delay ({@link #after(long, long)}): its sync waits until then, or until
 * a waiter without one arrives, so that a sync forced meanwhile by a blocking append covers its
 * line for free (the delayed sync then finds nothing left to do). Waiters are still completed in
 * the order their lines were written.
 */
final class BackgroundSync {
    /** {@code due}: System.nanoTime() by which its line must be synced. */
    private record Waiter(long seq, CompletableFuture<Void> synced, long due) {}

    private static final Waiter STOP = new Waiter(Long.MIN_VALUE, null, Long.MIN_VALUE);

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

    /**
     * A future that completes once line {@code seq} (already written) is synced, which may wait
     * up to {@code delayNanos}, or happen with a sync forced meanwhile.
     */
    CompletableFuture<Void> after(long seq, long delayNanos) {
        Waiter w = new Waiter(seq, new CompletableFuture<>(), System.nanoTime() + Math.max(0, delayNanos));
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
                if (batch.isEmpty()) {
                    batch.add(waiters.take());
                }
                waiters.drainTo(batch);
                stopping = batch.remove(STOP);
                // Wait for the earliest due time, taking whatever arrives meanwhile; a waiter
                // that is due at once (or STOP) ends the wait.
                for (long wait = earliestDue(batch) - System.nanoTime(); !stopping && wait > 0;
                     wait = earliestDue(batch) - System.nanoTime()) {
                    Waiter next = waiters.poll(wait, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    waiters.drainTo(batch);
                    stopping = batch.remove(STOP);
                }
            } catch (InterruptedException e) {
                // Only close() stops this thread, through STOP: waiters must not be abandoned.
                continue;
            }
            syncAndComplete(batch);
            batch.clear();
        }
    }

    /** The earliest due time in the batch (nanoTime values compare by difference); now when empty. */
    private static long earliestDue(List<Waiter> batch) {
        if (batch.isEmpty()) {
            return System.nanoTime();
        }
        long earliest = batch.get(0).due;
        for (Waiter w : batch) {
            earliest = w.due - earliest < 0 ? w.due : earliest;
        }
        return earliest;
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
        // A waiter added after STOP (its line was written just before the log closed) is served here,
        // and the STOP of a second close() is dropped.
        List<Waiter> late = new ArrayList<>();
        waiters.drainTo(late);
        late.removeIf(w -> w == STOP);
        syncAndComplete(late);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
