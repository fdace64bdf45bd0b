package dev.hostops.node.internal;

import dev.hostops.contracts.internal.Failures;
import dev.hostops.contracts.message.Result;
import dev.hostops.node.metrics.NodeMetrics;
import dev.hostops.node.store.Claim;
import dev.hostops.node.store.NodeStore;
import dev.hostops.node.store.OutboxEntry;
import dev.hostops.node.store.StoreException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node store's writes that must not be given up: claims of delivered commands, results, and
 * the answers to commands rejected on arrival. While the store cannot write (the disk is full,
 * another process holds the file's lock past the busy timeout), each is tried again with backoff
 * (100 ms doubling to 10 s) instead of failing:
 * <ul>
 *   <li>a claim or an answer: the transport acknowledges a message whose stage fails, so that one
 *       bad message cannot block a subscription; a failed claim was a command acknowledged and
 *       gone, a failed answer a command never answered. Meanwhile the message stays
 *       unacknowledged and the intake waits behind it (back-pressure, not loss), as the
 *       dispatcher's observer does with its ledger.</li>
 *   <li>a result: the process has run, and its result is kept in memory until the store records
 *       it; before, it was logged and dropped, and the command stayed RUNNING until a restart
 *       reported it LOST.</li>
 * </ul>
 * Once the store is closed (the agent is stopping) a write is left incomplete: a message is never
 * acknowledged, so the broker delivers it again to the next run; a result not stored by then is
 * reported LOST by the next run, as for a crash. A failure that no retry can mend (an unknown id,
 * a transition the record forbids: a bug) completes the stage exceptionally.
 */
final class DurableWrites {
    private static final Logger LOG = LoggerFactory.getLogger(DurableWrites.class);
    static final long RETRY_MIN_MS = 100;
    static final long RETRY_MAX_MS = 10_000;

    /** One attempt at a write; the stage completes with its outcome or the store's failure. */
    @FunctionalInterface
    private interface Attempt<T> {
        CompletableFuture<T> run();
    }

    private final NodeStore store;
    private final NodeMetrics metrics;

    DurableWrites(NodeStore store, NodeMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /** Counts a store failure the caller recovers from some other way (the short way falling back to the usual one). */
    void failedElsewhere(String commandId, Exception e) {
        String code = e instanceof StoreException se ? se.code().name() : e.getClass().getSimpleName();
        metrics.claimRetried(code);
        LOG.warn("the node store could not claim and start command {} at once ({}); claiming it the usual way", commandId, e.toString());
    }

    /**
     * {@link NodeStore#claimAsync}, completed once the claim is durable, however many attempts that
     * takes. Every attempt after the first is {@link NodeStore#claimAgainAsync}: a failed attempt
     * may have committed, and its record is then this claim's own.
     *
     * @param triedBefore the caller's own attempt at this claim already failed (the short way's
     *                    {@link NodeStore#claimStarting}), so even the first attempt here is a repeat
     */
    CompletableFuture<Claim> claim(String commandId, byte[] execJson, Instant receivedAt, boolean triedBefore) {
        AtomicBoolean repeat = new AtomicBoolean(triedBefore);
        return untilStored(() -> repeat.getAndSet(true) ? store.claimAgainAsync(commandId, execJson, receivedAt)
                        : store.claimAsync(commandId, execJson, receivedAt),
                () -> "record command " + commandId, "it stays unacknowledged", metrics::claimRetried);
    }

    /** {@link NodeStore#claimAnsweredAsync}: a command rejected on arrival, claimed with its answer. */
    CompletableFuture<Claim> claimAnswered(String commandId, byte[] execJson, Instant receivedAt, Result result,
                                           OutboxEntry publication) {
        return untilStored(() -> store.claimAnsweredAsync(commandId, execJson, receivedAt, result, publication),
                () -> "record the " + result.status() + " answer to command " + commandId, "the message stays unacknowledged",
                metrics::resultRetried);
    }

    /**
     * {@link NodeStore#complete}: the first attempt runs on the calling thread (a result is on the
     * command's critical path), later ones on a timer's.
     */
    CompletableFuture<Boolean> complete(Result result, OutboxEntry publication) {
        return untilStored(() -> now(() -> store.complete(result.id(), result, publication)),
                () -> "record the " + result.status() + " result of command " + result.id(), "it is kept in memory",
                metrics::resultRetried);
    }

    /** {@link NodeStore#enqueue}: a message to publish that has no command record (a refused exec's answer). */
    CompletableFuture<Long> enqueue(OutboxEntry entry, String what) {
        return untilStored(() -> now(() -> store.enqueue(entry)), () -> "queue " + what, "the message stays unacknowledged",
                metrics::resultRetried);
    }

    @FunctionalInterface
    private interface Write<T> {
        T run() throws StoreException;
    }

    private static <T> CompletableFuture<T> now(Write<T> write) {
        try {
            return CompletableFuture.completedFuture(write.run());
        } catch (StoreException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * @param doing what the write does, for a log line; a supplier, so the command's usual way (one
     *              claim and one result, both stored at the first attempt) builds no text
     */
    private <T> CompletableFuture<T> untilStored(Attempt<T> attempt, Supplier<String> doing, String meanwhile,
                                                 Consumer<String> retried) {
        CompletableFuture<T> stored = new CompletableFuture<>();
        attempt(attempt, doing, meanwhile, retried, RETRY_MIN_MS, stored);
        return stored;
    }

    private <T> void attempt(Attempt<T> attempt, Supplier<String> doing, String meanwhile, Consumer<String> retried,
                             long backoffMs, CompletableFuture<T> stored) {
        CompletableFuture<T> tried;
        try {
            tried = attempt.run();
        } catch (RuntimeException e) {
            stored.completeExceptionally(e);
            return;
        }
        tried.whenComplete((outcome, failure) -> {
            if (failure == null) {
                stored.complete(outcome);
                return;
            }
            Throwable cause = Failures.unwrap(failure);
            StoreException.Code code = cause instanceof StoreException e ? e.code() : null;
            if (code == StoreException.Code.CLOSED) {
                LOG.info("could not {} before the node store closed; the next run takes it up", doing.get());
                return;
            }
            if (code == null || !mendsWithTime(code)) {
                stored.completeExceptionally(cause);
                return;
            }
            retried.accept(code.name());
            LOG.warn("the node store cannot {} yet ({}: {}); {}, trying again in {} ms", doing.get(), code, cause.getMessage(),
                    meanwhile, backoffMs);
            CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS).execute(() ->
                    attempt(attempt, doing, meanwhile, retried, Math.min(RETRY_MAX_MS, backoffMs * 2), stored));
        });
    }

    /**
     * The failures a later attempt may not meet: the store's state on disk (busy, full, unreadable
     * for now). An unknown id or a forbidden transition is a bug that no attempt mends.
     */
    private static boolean mendsWithTime(StoreException.Code code) {
        return switch (code) {
            case UNKNOWN_COMMAND, ILLEGAL_TRANSITION, CLOSED -> false;
            case BUSY, DISK_FULL, CORRUPT, SCHEMA_TOO_NEW, IO_ERROR -> true;
        };
    }
}
