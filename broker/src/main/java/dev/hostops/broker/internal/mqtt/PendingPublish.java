package dev.hostops.broker.internal.mqtt;

import dev.hostops.broker.OutboundMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A publish whose future has not completed yet. {@code seq} keeps the caller's order when
 * messages cut off by a connection loss are sent again.
 */
final class PendingPublish implements Comparable<PendingPublish> {
    final long seq;
    final OutboundMessage message;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    /** True while handed to a Paho client; whoever flips it back to false owns the retry. */
    final AtomicBoolean inFlight = new AtomicBoolean();

    PendingPublish(long seq, OutboundMessage message) {
        this.seq = seq;
        this.message = message;
    }

    @Override
    public int compareTo(PendingPublish o) {
        return Long.compare(seq, o.seq);
    }
}
