package dev.hostops.broker.internal.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.ShutdownSignalException;
import dev.hostops.broker.InboundMessage;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.contracts.Topics;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live AMQP connection of a transport, from open to loss: a publishing channel in confirm
 * mode with its {@link ConfirmTracker}, and a consuming channel for the client queue. A reconnect
 * makes a new session; nothing of a dead session is reused.
 *
 * <p>Threading: {@link #publish} is called under the transport's publish lock (channels are not
 * thread-safe); queue, binding and consumer calls come from the transport's lifecycle thread.
 */
final class AmqpSession {
    private static final Logger log = LoggerFactory.getLogger(AmqpSession.class);

    private final Connection connection;
    private final Channel publishChannel;
    private final int prefetch;
    private Channel consumeChannel;
    private final NoDelaySocketConfigurator socket;
    private final ConfirmTracker confirms = new ConfirmTracker();
    private final Set<String> boundKeys = new HashSet<>();
    private boolean queueDeclared;
    private String consumerTag;

    private AmqpSession(Connection connection, Channel publishChannel, Channel consumeChannel, int prefetch,
            NoDelaySocketConfigurator socket) {
        this.connection = connection;
        this.publishChannel = publishChannel;
        this.consumeChannel = consumeChannel;
        this.prefetch = prefetch;
        this.socket = socket;
    }

    /**
     * Opens a connection and its two channels.
     *
     * @param onLoss           called once, on a client thread, when the connection ends for any reason
     * @param onPublishRefused called on a client thread when the broker closes the publishing channel
     *                         but not the connection (a channel error, such as a refused routing key)
     */
    static AmqpSession open(ConnectionFactory factory, String connectionName, int prefetch,
            BiConsumer<AmqpSession, ShutdownSignalException> onLoss,
            BiConsumer<AmqpSession, ChannelError> onPublishRefused) throws IOException, TimeoutException {
        NoDelaySocketConfigurator socket = new NoDelaySocketConfigurator();
        factory.setSocketConfigurator(socket); // the factory is only used from the lifecycle thread
        Connection connection = factory.newConnection(connectionName);
        try {
            Channel pub = connection.createChannel();
            pub.confirmSelect();
            Channel con = connection.createChannel();
            con.basicQos(prefetch);
            AmqpSession session = new AmqpSession(connection, pub, con, prefetch, socket);
            pub.addConfirmListener(session.confirms::onAck, session.confirms::onNack);
            pub.addShutdownListener(cause -> {
                ChannelError error = cause.isInitiatedByApplication() ? null : ChannelError.of(cause);
                if (error != null) {
                    onPublishRefused.accept(session, error);
                }
            });
            connection.addShutdownListener(cause -> onLoss.accept(session, cause));
            return session;
        } catch (IOException | RuntimeException e) {
            connection.abort();
            throw e;
        }
    }

    boolean isOpen() {
        return connection.isOpen() && publishChannel.isOpen() && consumeChannel.isOpen();
    }

    /**
     * Sends one message. A QoS 1 publish completes on the broker's confirm (through the tracker), a
     * QoS 0 publish as soon as it is written. Call under the transport's publish lock.
     *
     * @throws IOException when the channel is closed or the write fails; the publish is not tracked then
     */
    void publish(PendingPublish p) throws IOException {
        OutboundMessage m = p.message();
        boolean confirmed = m.qos() == Qos.AT_LEAST_ONCE;
        long seqNo = publishChannel.getNextPublishSeqNo();
        if (confirmed) {
            confirms.track(seqNo, p); // before the write: the confirm can arrive before basicPublish returns
        }
        try {
            publishChannel.basicPublish(Topics.AMQP_EXCHANGE, Topics.toRoutingKey(m.topic()), false,
                    AmqpProperties.of(m), m.payload());
        } catch (IOException | ShutdownSignalException e) {
            confirms.untrack(seqNo);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        if (!confirmed) {
            p.future().complete(null);
        }
    }

    /** After the connection died: every publish sent on it and not confirmed, oldest first. */
    List<PendingPublish> takeUnconfirmed() {
        return confirms.drainUnconfirmed();
    }

    /**
     * Declares the client queue once per session: durable and shared for a persistent session (it
     * keeps messages while the client is away), exclusive and auto-deleted otherwise.
     */
    void declareQueue(String queue, boolean persistent) throws IOException {
        if (!queueDeclared) {
            consumeChannel.queueDeclare(queue, persistent, !persistent, !persistent, null);
            queueDeclared = true;
        }
    }

    void bind(String queue, String bindingKey) throws IOException {
        if (boundKeys.contains(bindingKey)) {
            return;
        }
        consumeChannel.queueBind(queue, Topics.AMQP_EXCHANGE, bindingKey);
        boundKeys.add(bindingKey);
    }

    /**
     * Starts the one consumer of the client queue (manual acknowledgement), once per session. The
     * client calls it for one delivery at a time per channel, so handlers see messages in order.
     *
     * @param onMessage called with each message; it is acknowledged when this returns
     * @param onCancel  called if the broker cancels the consumer (the queue was deleted)
     */
    void startConsumer(String queue, Function<InboundMessage, CompletionStage<?>> onMessage, Runnable onCancel) throws IOException {
        if (consumerTag != null) {
            return;
        }
        Channel channel = consumeChannel; // acks go to the channel that delivered
        AtomicReference<CompletableFuture<?>> lastAck = new AtomicReference<>(CompletableFuture.completedFuture(null));
        consumerTag = channel.basicConsume(queue, false,
                (tag, delivery) -> deliver(channel, delivery, onMessage, lastAck),
                tag -> onCancel.run());
    }

    /**
     * Replaces the consuming channel after the broker closed it for a channel error (a refused
     * binding), keeping the connection; the queue, bindings and consumer are set up again.
     */
    void reopenConsumeChannel() throws IOException {
        if (consumeChannel.isOpen()) {
            try {
                consumeChannel.abort();
            } catch (IOException e) {
                log.debug("closing the old consuming channel: {}", e.getMessage());
            }
        }
        Channel fresh = connection.createChannel();
        fresh.basicQos(prefetch);
        consumeChannel = fresh;
        queueDeclared = false;
        boundKeys.clear();
        consumerTag = null;
    }

    /**
     * Hands the message over and acknowledges it when its handlers are done; acks go out in
     * delivery order (each waits for the previous one). The client calls this on one thread per
     * channel, so only that thread replaces {@code lastAck}.
     */
    private static void deliver(Channel channel, Delivery d, Function<InboundMessage, CompletionStage<?>> onMessage,
                                AtomicReference<CompletableFuture<?>> lastAck) {
        String topic = Topics.fromRoutingKey(d.getEnvelope().getRoutingKey());
        CompletableFuture<?> handled;
        try {
            handled = onMessage.apply(new InboundMessage(topic, d.getBody(), false, d.getEnvelope().isRedeliver()))
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            log.warn("handler failed on a message to '{}'; acknowledged anyway", topic, e);
            handled = CompletableFuture.completedFuture(null);
        }
        lastAck.set(CompletableFuture.allOf(lastAck.get(), handled).handle((ok, e) -> {
            try {
                channel.basicAck(d.getEnvelope().getDeliveryTag(), false);
            } catch (IOException | ShutdownSignalException ex) {
                // The connection is gone; the broker redelivers the message on the next one.
                log.debug("ack for a message to '{}' not sent: {}", topic, ex.getMessage());
            }
            return null;
        }));
    }

    /** Deletes the queue (tests and clean-up of a persistent session); ignores failures. */
    void deleteQueue(String queue) {
        try {
            consumeChannel.queueDelete(queue);
        } catch (IOException | ShutdownSignalException e) {
            log.debug("could not delete queue {}: {}", queue, e.getMessage());
        }
    }

    /** Cuts the socket without the AMQP close handshake, as a crash would. */
    void cut() {
        socket.cut();
    }

    int localPort() {
        return socket.localPort();
    }

    /** Closes the connection cleanly, waiting at most {@code timeoutMs}; aborts if that fails. */
    void close(int timeoutMs) {
        try {
            connection.close(timeoutMs);
        } catch (IOException | ShutdownSignalException e) {
            connection.abort(timeoutMs);
        }
    }

    void abort() {
        connection.abort();
    }
}
