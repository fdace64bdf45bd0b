package dev.hostops.node.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs at most {@code limit} commands at once; the rest wait in arrival order. A job is a
 * supplier of the future that completes when the command is finished; the gate holds no thread
 * while a process runs. A slot may also be reserved first and used (or given back) later, for a
 * command that must be recorded as started before it runs.
 */
public final class ExecutionGate {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionGate.class);

    private final int limit;
    private final Executor executor;
    private final Queue<Supplier<CompletableFuture<?>>> waiting = new ArrayDeque<>();
    private int running;

    public ExecutionGate(int limit, Executor executor) {
        this.limit = limit;
        this.executor = executor;
    }

    public void submit(Supplier<CompletableFuture<?>> job) {
        synchronized (this) {
            if (running >= limit) {
                waiting.add(job);
                return;
            }
            running++;
        }
        launch(job);
    }

    /**
     * Takes a slot for a job to be launched later with {@link #launchReserved}, if one is free and
     * nobody waits for one (so a reservation never overtakes a queued job). False otherwise.
     */
    public synchronized boolean tryReserve() {
        if (running >= limit || !waiting.isEmpty()) {
            return false;
        }
        running++;
        return true;
    }

    /** Runs a job in the slot {@link #tryReserve} took. */
    public void launchReserved(Supplier<CompletableFuture<?>> job) {
        launch(job);
    }

    /** Gives back the slot {@link #tryReserve} took, to the next waiting job if there is one. */
    public void cancelReservation() {
        release();
    }

    public synchronized int running() {
        return running;
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    private void launch(Supplier<CompletableFuture<?>> job) {
        executor.execute(() -> {
            CompletableFuture<?> done;
            try {
                done = job.get();
            } catch (RuntimeException e) {
                LOG.error("command job failed to start", e);
                done = CompletableFuture.completedFuture(null);
            }
            done.whenComplete((ok, e) -> release());
        });
    }

    private void release() {
        Supplier<CompletableFuture<?>> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
                return;
            }
        }
        launch(next);
    }
}
