package dev.hostops.broker.internal.amqp;

import dev.hostops.broker.OutboundMessage;
import java.util.concurrent.CompletableFuture;

/**
 * A publish that the broker has not confirmed yet. It moves between the publish buffer (no
 * connection) and a session's confirm tracker (sent, waiting for the confirm) until its future
 * completes; a future already completed (timed out, failed on close) is never sent again.
 */
record PendingPublish(OutboundMessage message, CompletableFuture<Void> future) {

    boolean isDone() {
        return future.isDone();
    }
}
