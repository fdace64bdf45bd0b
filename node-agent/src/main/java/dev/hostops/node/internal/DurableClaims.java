package dev.hostops.node.internal;

import dev.hostops.contracts.internal.Failures;
import dev.hostops.node.metrics.NodeMetrics;
import dev.hostops.node.store.Claim;
import dev.hostops.node.store.NodeStore;
import dev.hostops.node.store.StoreException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims command ids in the node store and, while the store cannot write (the disk is full, or
 * another process holds the file's lock), tries again with backoff instead of failing. A delivered
 * command whose claim failed would otherwise be acknowledged and gone: the transport acknowledges
 * a message whose stage fails, so that one bad message cannot block a subscription. Meanwhile the
 * message stays unacknowledged and the intake waits behind it (back-pressure, not loss), as the
 * dispatcher's observer does with its ledger.
 *
 * <p>Once the store is closed (the agent is stopping) the stage is left incomplete: the message
 * is never acknowledged, and the broker delivers it again to the next run.
 */
final class DurableClaims {
    private static final Logger LOG = LoggerFactory.getLogger(DurableClaims.class);
    static final long RETRY_MIN_MS = 100;
    static final long RETRY_MAX_MS = 10_000;

    private final NodeStore store;
    private final NodeMetrics metrics;

    DurableClaims(NodeStore store, NodeMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /** Counts a store failure the caller recovers from some other way (the short way falling back to this one). */
    void failedElsewhere(String commandId, Exception e) {
        String code = e instanceof StoreException se ? se.code().name() : e.getClass().getSimpleName();
        metrics.claimRetried(code);
        LOG.warn("the node store could not claim and start command {} at once ({}); claiming it the usual way", commandId, e.toString());
    }

    /**
     * The claim ({@link NodeStore#claimAsync}), completed once it is durable, however many attempts
     * that takes. Completes exceptionally only with a failure that is not the store's (a bug).
     */
    CompletableFuture<Claim> claim(String commandId, byte[] execJson, Instant receivedAt) {
        CompletableFuture<Claim> claimed = new CompletableFuture<>();
        attempt(commandId, execJson, receivedAt, RETRY_MIN_MS, claimed);
        return claimed;
    }

    private void attempt(String commandId, byte[] execJson, Instant receivedAt, long backoffMs, CompletableFuture<Claim> claimed) {
        store.claimAsync(commandId, execJson, receivedAt).whenComplete((claim, failure) -> {
            if (failure == null) {
                claimed.complete(claim);
                return;
            }
            Throwable cause = Failures.unwrap(failure);
            if (!(cause instanceof StoreException e)) {
                claimed.completeExceptionally(cause);
                return;
            }
            if (e.code() == StoreException.Code.CLOSED) {
                LOG.info("command {} was not claimed before the node store closed; the broker delivers it again", commandId);
                return;
            }
            metrics.claimRetried(e.code().name());
            LOG.warn("the node store cannot record command {} yet ({}: {}); it stays unacknowledged, trying again in {} ms",
                    commandId, e.code(), e.getMessage(), backoffMs);
            CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS).execute(() ->
                    attempt(commandId, execJson, receivedAt, Math.min(RETRY_MAX_MS, backoffMs * 2), claimed));
        });
    }
}
