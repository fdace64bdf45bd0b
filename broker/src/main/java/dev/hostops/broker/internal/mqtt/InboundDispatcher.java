package dev.hostops.broker.internal.mqtt;

import dev.hostops.broker.InboundMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs handlers on one thread of its own, in arrival order, and acknowledges each message only
 * after its handlers returned. Not on Paho's callback thread: a handler that publishes and waits
 * for the PUBACK would otherwise wait for the thread it is blocking.
 */
final class InboundDispatcher {
    private static final Logger log = LoggerFactory.getLogger(InboundDispatcher.class);

    private final String name;
    private final Subscriptions subscriptions;
    private final ThreadPoolExecutor executor;
    /** The ack of the latest message; only the handler thread replaces it. */
    private CompletableFuture<?> lastAck = CompletableFuture.completedFuture(null);

    InboundDispatcher(String name, Subscriptions subscriptions) {
        this.name = name;
        this.subscriptions = subscriptions;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "hostops-mqtt-handler-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a message from {@code client}; the ack goes back on that same client. */
    void dispatch(MqttAsyncClient client, String topic, MqttMessage message) {
        try {
            executor.execute(() -> handle(client, topic, message));
        } catch (RejectedExecutionException closed) {
            // the transport is closing: no ack, so the broker delivers it again to the next session
        }
    }

    private void handle(MqttAsyncClient client, String topic, MqttMessage message) {
        // isDuplicate() is always false here: Paho 1.2.5 (v5) decodes the DUP flag but does not copy it
        // to the MqttMessage. Redelivery is still real (acks go out only after the handler); consumers
        // dedupe by message id, as the design requires anyway.
        InboundMessage inbound = new InboundMessage(topic, message.getPayload(), message.isRetained(), message.isDuplicate());
        List<Integer> ids = message.getProperties() == null ? List.of() : message.getProperties().getSubscriptionIdentifiers();
        List<Subscriptions.Entry> handlers = ids == null || ids.isEmpty()
                ? subscriptions.matching(topic) : subscriptions.forIdentifiers(ids);
        if (handlers.isEmpty()) {
            // A persistent session delivers queued messages right after CONNACK: subscribe before
            // connect() so the handler is there. Acked anyway, or it would come back forever.
            log.warn("{}: no handler for a message on '{}'; subscribe before connecting to get queued messages", name, topic);
        }
        List<CompletableFuture<?>> done = new ArrayList<>(handlers.size());
        for (Subscriptions.Entry e : handlers) {
            try {
                done.add(e.handler().handle(inbound).toCompletableFuture()
                        .handle((ok, failure) -> failure == null ? null : failed(e, topic, failure)));
            } catch (Exception failure) {
                failed(e, topic, failure);
            }
        }
        if (message.getQos() == 0) {
            return;
        }
        // Acks leave in arrival order: each waits for its handlers and for the previous ack.
        CompletableFuture<?> handled = done.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
        // The ack runs on this dispatcher's own thread, not on whatever thread completed the
        // handler's stage (a database writer, say), which should not do network writes for us.
        lastAck = CompletableFuture.allOf(lastAck, handled).handleAsync((ok, e) -> {
            ack(client, topic, message);
            return null;
        }, ackExecutor());
    }

    /** Acks in order on the handler thread; when it already completed inline, no hop is needed. */
    private java.util.concurrent.Executor ackExecutor() {
        return command -> {
            if (isHandlerThread()) {
                command.run();
            } else {
                try {
                    executor.execute(command);
                } catch (RejectedExecutionException closed) {
                    // closing: unacknowledged, so the broker delivers it again to the next session
                }
            }
        };
    }

    private Void failed(Subscriptions.Entry e, String topic, Throwable failure) {
        // One bad message must not block the subscription: log it, ack it anyway.
        log.error("{}: handler for '{}' failed on a message on '{}'; the message is acknowledged anyway",
                name, e.filter(), topic, failure);
        return null;
    }

    private void ack(MqttAsyncClient client, String topic, MqttMessage message) {
        try {
            client.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException | RuntimeException e) {
            // The connection that brought it is gone; the broker will deliver it again.
            log.debug("{}: could not acknowledge message {} on '{}': {}", name, message.getId(), topic, e.toString());
        }
    }

    /**
     * Drops the messages not yet handled (unacknowledged, so the broker delivers them again) and
     * waits up to {@code wait} for the running handler to return, so its ack can still go out.
     * Never interrupts a handler: one writing a file through NIO would have its channel closed.
     */
    void shutdown(Duration wait) {
        executor.getQueue().clear();
        executor.shutdown();
        if (!isHandlerThread()) {
            try {
                if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("{}: a message handler is still running after {}; closing anyway", name, wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isHandlerThread() {
        return Thread.currentThread().getName().equals("hostops-mqtt-handler-" + name);
    }
}
