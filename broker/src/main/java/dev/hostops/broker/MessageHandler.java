package dev.hostops.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Receives messages of a subscription, one at a time, in the order the broker sends them.
 *
 * <p>Acknowledgement: a plain handler's message is acknowledged to the broker when
 * {@link #onMessage} returns, so a handler that durably records what it got before returning
 * never loses it. A {@linkplain #deferred deferred} handler returns a stage instead: the next
 * message is handed over at once, and this one is acknowledged when its stage completes (acks
 * still go out in arrival order). That lets a consumer batch durable writes, e.g. one database
 * commit for many messages, without giving up at-least-once delivery.
 *
 * <p>An exception (thrown, or completing the stage) is logged by the transport and the message
 * acknowledged anyway: one bad message must not block the subscription forever.
 */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(InboundMessage message) throws Exception;

    /**
     * What the transport calls. The default runs {@link #onMessage} and is done; deferred handlers
     * return the stage that must complete before the message is acknowledged.
     */
    default CompletionStage<?> handle(InboundMessage message) throws Exception {
        onMessage(message);
        return CompletableFuture.completedFuture(null);
    }

    /** A handler whose message is acknowledged when the stage it returns completes. */
    static MessageHandler deferred(Deferred handler) {
        return new MessageHandler() {
            @Override
            public void onMessage(InboundMessage message) throws Exception {
                handler.handle(message).toCompletableFuture().join();
            }

            @Override
            public CompletionStage<?> handle(InboundMessage message) throws Exception {
                return handler.handle(message);
            }
        };
    }

    /** What {@link #deferred} wraps: returns the stage to wait for; throwing is a failure like the stage's. */
    @FunctionalInterface
    interface Deferred {
        CompletionStage<?> handle(InboundMessage message) throws Exception;
    }
}
