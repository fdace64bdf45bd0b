package dev.hostops.broker;

import java.util.concurrent.CompletableFuture;

/**
 * A connection to a broker, MQTT 5 or AMQP 0-9-1, with one behaviour:
 *
 * <ul>
 *   <li>{@link #publish} completes when the broker has the message (MQTT PUBACK, AMQP publisher
 *       confirm). While disconnected, publishes wait (bounded) and go out after the reconnect; a
 *       QoS 1 publish is never silently dropped: its future completes or fails.</li>
 *   <li>The transport reconnects by itself with exponential backoff and subscribes again.</li>
 *   <li>Sockets have TCP_NODELAY.</li>
 * </ul>
 *
 * <p>Futures fail with {@link TransportException}; with its subclass {@link AccessRefusedException}
 * when the broker refused this login (at connect) or refused it a topic (a subscription or a
 * publish its ACL forbids), which no retry with the same login mends. After {@link #close()} every
 * call fails with {@code TransportException("transport closed")}. Thread-safe.
 */
public interface Transport extends AutoCloseable {

    /**
     * Connects. Completes when the first connection is up; fails if the broker refuses (bad
     * credentials: not retried) or cannot be reached within the connect timeout. After the first
     * success, losses are handled by reconnecting.
     */
    CompletableFuture<Void> connect();

    /** Publishes; completes when the broker has acknowledged the message (QoS 1) or sent it (QoS 0). */
    CompletableFuture<Void> publish(OutboundMessage message);

    /**
     * Subscribes with an MQTT topic filter ({@code +} and {@code #} wildcards); on AMQP the filter
     * becomes a binding of this client's queue on {@code amq.topic}. Completes when the broker has
     * the subscription. Subscriptions are restored after a reconnect. Messages are delivered to
     * the handlers one at a time, in the order the broker sends them.
     */
    CompletableFuture<Void> subscribe(String topicFilter, Qos qos, MessageHandler handler);

    /**
     * As {@link #subscribe}, but without the messages this transport publishes itself, when
     * {@link TransportCapabilities#noLocal()}: the broker does not send them back (MQTT 5 No
     * Local), which saves it a delivery and the subscriber a decode per message. Without that
     * capability this is {@link #subscribe} and the handler gets them too, so a caller that must
     * not act on its own messages still checks. On MQTT, do not give this and {@link #subscribe}
     * filters that overlap: handlers are found by topic, so a message received through either
     * subscription reaches both handlers.
     */
    default CompletableFuture<Void> subscribeToOthers(String topicFilter, Qos qos, MessageHandler handler) {
        return subscribe(topicFilter, qos, handler);
    }

    ConnectionState state();

    void addListener(ConnectionListener listener);

    TransportCapabilities capabilities();

    TransportOptions options();

    /**
     * Ends the connection the way the broker sees a crash or a network cut: it publishes the last
     * will and keeps the session. AMQP cuts the socket; MQTT sends DISCONNECT with reason code 0x04
     * (Disconnect with Will Message), as its client cannot drop a socket abruptly. The transport
     * then reconnects as after any loss. For tests and fault drills.
     */
    void simulateConnectionLoss();

    /**
     * Disconnects cleanly (no last will) and releases resources. Waits a short while for
     * in-flight publishes; fails those still pending. Idempotent.
     */
    @Override
    void close();
}
