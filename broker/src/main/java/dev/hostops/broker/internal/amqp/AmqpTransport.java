package dev.hostops.broker.internal.amqp;

import dev.hostops.broker.internal.ConnectionStates;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import dev.hostops.broker.ConnectionListener;
import dev.hostops.broker.ConnectionState;
import dev.hostops.broker.MessageHandler;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportCapabilities;
import dev.hostops.broker.TransportException;
import dev.hostops.broker.TransportOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMQP 0-9-1 transport, over the RabbitMQ Java client.
 *
 * <p><b>Mapping.</b> Everything goes through the topic exchange {@code amq.topic}; a topic becomes
 * a routing key by {@link dev.hostops.contracts.Topics#toRoutingKey} ({@code /} to {@code .},
 * {@code +} to {@code *}), the mapping of RabbitMQ's MQTT plugin, so MQTT and AMQP clients share one
 * broker. Each transport has one queue, {@code hostops.client.<clientId>}; every subscription is a
 * binding of it, and one consumer (manual acknowledgement, prefetch from the options) hands each
 * message to the handlers whose MQTT filter matches, one message at a time, in order, acknowledging
 * after they return. With a persistent session the queue is durable and not exclusive, so messages
 * wait in it while the client is away (the per-node durable queue of the design); its bindings stay
 * on the broker too, and messages matching none of this run's subscriptions are dropped. Without
 * one, the queue is exclusive and deleted with the connection.
 *
 * <p><b>Publishing.</b> QoS 1 is a persistent message, and "published" means the broker's publisher
 * confirm; a nack or no confirm within the publish timeout fails the future with a
 * {@link TransportException}. The expiry becomes the per-message TTL ({@code expiration}).
 * Publishes not yet confirmed when the connection drops, and those made while disconnected (up to
 * {@value #PUBLISH_BUFFER_CAPACITY}), are sent again on the next connection and complete only on its
 * confirm: duplicates are possible (receivers dedupe by id), losses are not.
 *
 * <p><b>Not in AMQP 0-9-1.</b> There are no retained messages and no last will:
 * {@link #capabilities()} says so, a retained publish is an ordinary publish, and the will in the
 * options is ignored. The node agent compensates with periodic presence heartbeats and an offline
 * message on a clean stop.
 *
 * <p><b>Connection.</b> Credentials and virtual host come from the URL; without credentials the
 * RabbitMQ client's defaults apply ({@code guest}/{@code guest}, which RabbitMQ accepts only from
 * localhost). {@code amqps} builds its TLS context from {@link TransportOptions#tls()}. Sockets have
 * TCP_NODELAY. The client-provided connection name is {@code hostops-<clientId>}. Reconnecting is
 * done here rather than by the client's automatic recovery: every connection is a fresh
 * {@link AmqpSession}, so publisher sequence numbers never mix across connections. A failed first
 * {@link #connect()} leaves the transport CLOSED; after the first success it reconnects with
 * exponential backoff until {@link #close()}.
 */
public final class AmqpTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(AmqpTransport.class);

    /** Queue name prefix; the full name is this plus the client id. */
    public static final String QUEUE_PREFIX = "hostops.client.";
    static final int PUBLISH_BUFFER_CAPACITY = 10_000;
    private static final Duration CLOSE_DRAIN = Duration.ofSeconds(2);
    private static final int CLOSE_TIMEOUT_MS = 2_000;
    private static final TransportCapabilities CAPABILITIES = new TransportCapabilities(false, false, false);

    private final TransportOptions options;
    private final String name;
    private final String queueName;
    private final ConnectionStates state;
    private final AmqpSubscriptions subscriptions;
    private final SubscriptionBinder binder;
    private final AmqpPublisher publisher;
    private final Backoff backoff;
    /** Single thread for connecting, reconnecting, binding and loss handling: no races among them. */
    private final ScheduledThreadPoolExecutor lifecycle;
    /** Publish timeouts; separate so a slow connect attempt does not delay them. */
    private final ScheduledThreadPoolExecutor timeouts;
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    /** The established session; written on the lifecycle thread only. */
    private volatile AmqpSession current;
    private volatile boolean closing;
    private ConnectionFactory factory; // lifecycle thread only

    public AmqpTransport(TransportOptions options) {
        this.options = Objects.requireNonNull(options, "options must not be null");
        if (options.url().scheme().isMqtt()) {
            throw new IllegalArgumentException("AmqpTransport needs an amqp:// or amqps:// URL, not " + options.url());
        }
        this.name = "amqp " + options.clientId();
        this.queueName = QUEUE_PREFIX + options.clientId();
        this.state = new ConnectionStates(name);
        this.subscriptions = new AmqpSubscriptions(name);
        this.binder = new SubscriptionBinder(name, queueName, options.persistentSession(), subscriptions, s -> {
            log.warn("{}: the broker cancelled the consumer of {} (queue deleted?); reconnecting", name, queueName);
            runOnLifecycle(s::abort);
        });
        this.backoff = new Backoff(options.reconnectMin(), options.reconnectMax());
        this.lifecycle = executor("hostops-amqp-" + options.clientId() + "-lifecycle");
        this.lifecycle.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timeouts = executor("hostops-amqp-" + options.clientId() + "-timeouts");
        this.timeouts.setRemoveOnCancelPolicy(true);
        this.publisher = new AmqpPublisher(PUBLISH_BUFFER_CAPACITY, options.publishTimeout(), timeouts,
                s -> runOnLifecycle(() -> {
                    if (s == current && !s.isOpen()) {
                        s.abort(); // a channel died without the connection: force a fresh session
                    }
                }));
    }

    /** The name of this transport's queue on the broker. */
    public String queueName() {
        return queueName;
    }

    @Override
    public CompletableFuture<Void> connect() {
        if (closing) {
            return closedFuture();
        }
        if (state.moveFrom(ConnectionState.NEW, ConnectionState.CONNECTING, null)) {
            runOnLifecycle(this::firstAttempt);
        }
        return firstConnect.copy();
    }

    @Override
    public CompletableFuture<Void> publish(OutboundMessage message) {
        Objects.requireNonNull(message, "message must not be null");
        return closing ? closedFuture() : publisher.publish(message);
    }

    @Override
    public CompletableFuture<Void> subscribe(String topicFilter, Qos qos, MessageHandler handler) {
        Objects.requireNonNull(qos, "qos must not be null");
        Objects.requireNonNull(handler, "handler must not be null");
        if (closing) {
            return closedFuture();
        }
        AmqpSubscriptions.Subscription sub;
        try {
            sub = subscriptions.add(topicFilter, handler);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new TransportException(
                    "'" + topicFilter + "' is not a valid MQTT topic filter: " + e.getMessage()));
        }
        runOnLifecycle(() -> {
            AmqpSession s = current;
            if (s != null) {
                bindOrAbort(s);
            } // else: the next connection binds it
        });
        return sub.established().copy();
    }

    @Override
    public ConnectionState state() {
        return state.get();
    }

    @Override
    public void addListener(ConnectionListener listener) {
        state.addListener(Objects.requireNonNull(listener, "listener must not be null"));
    }

    @Override
    public TransportCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public TransportOptions options() {
        return options;
    }

    @Override
    public void simulateConnectionLoss() {
        if (closing) {
            throw closedException();
        }
        AmqpSession s = current;
        if (s != null) {
            s.cut();
        }
    }

    /**
     * The local TCP port of the current connection, which RabbitMQ shows as the connection's
     * {@code peer_port}; -1 when not connected. For tests that close the connection from the broker side.
     */
    public int localPort() {
        AmqpSession s = current;
        return s == null ? -1 : s.localPort();
    }

    /**
     * Deletes this transport's queue on the broker (a persistent session's queue outlives the
     * transport otherwise), then closes. For tests and decommissioning.
     */
    public void deleteQueueAndClose() {
        AmqpSession s = current;
        if (s != null && !closing) {
            try {
                lifecycle.submit(() -> s.deleteQueue(queueName)).get(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
                log.debug("{}: queue {} not deleted: {}", name, queueName, e.toString());
            }
        }
        close();
    }

    @Override
    public void close() {
        shutdown(false, null);
    }

    /**
     * @param onLifecycleThread true when called from the lifecycle thread, which must not wait for itself
     * @param connectFailure    why the first connect failed, or null for a close by the caller
     */
    private void shutdown(boolean onLifecycleThread, TransportException connectFailure) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        if (!onLifecycleThread && current != null && !publisher.awaitInFlight(CLOSE_DRAIN)) {
            log.debug("{}: closing with publishes still unconfirmed", name);
        }
        TransportException closed = closedException();
        publisher.close(closed);
        subscriptions.failPending(closed);
        // On the lifecycle thread, so no connect attempt can install a session after this.
        Runnable closeSession = () -> {
            AmqpSession s = current;
            current = null;
            if (s != null) {
                s.close(CLOSE_TIMEOUT_MS);
            }
        };
        if (onLifecycleThread) {
            closeSession.run();
        } else {
            try {
                lifecycle.submit(closeSession).get(CLOSE_TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
                log.debug("{}: connection not closed cleanly: {}", name, e.toString());
            }
        }
        lifecycle.shutdownNow();
        timeouts.shutdownNow();
        state.moveTo(ConnectionState.CLOSED, connectFailure);
        firstConnect.completeExceptionally(connectFailure != null ? connectFailure : closed);
    }

    // ---- connecting, reconnecting, losses (lifecycle thread) --------------------------------

    private void firstAttempt() {
        if (closing) {
            return;
        }
        try {
            establish();
            state.moveFrom(ConnectionState.CONNECTING, ConnectionState.CONNECTED, null);
            firstConnect.complete(null);
        } catch (Exception e) {
            log.debug("{}: first connect failed", name, e);
            shutdown(true, ConnectFailures.describe(e, options));
        }
    }

    private void reconnect(int attempt) {
        if (closing) {
            return;
        }
        try {
            establish();
            log.info("{}: reconnected to {} after {} attempt(s)", name, options.url(), attempt + 1);
            state.moveFrom(ConnectionState.RECONNECTING, ConnectionState.CONNECTED, null);
        } catch (Exception e) {
            long delay = backoff.delayMillis(attempt + 1);
            log.warn("{}: reconnect to {} failed ({}); next attempt in {} ms", name, options.url(),
                    ConnectFailures.describe(e, options).getMessage(), delay);
            schedule(() -> reconnect(attempt + 1), delay);
        }
    }

    /** Opens a session, binds the subscriptions, sends what waited, and makes it current. */
    private void establish() throws IOException, TimeoutException {
        if (factory == null) {
            factory = AmqpConnectionFactories.create(options);
        }
        AmqpSession s = AmqpSession.open(factory, "hostops-" + options.clientId(), options.prefetch(),
                (session, cause) -> runOnLifecycle(() -> onLoss(session, cause)),
                (session, error) -> runOnLifecycle(() -> onPublishRefused(session, error)));
        try {
            binder.apply(s);
            publisher.resume(s);
        } catch (IOException | RuntimeException e) {
            s.abort();
            publisher.takeBack(s);
            throw e;
        }
        current = s;
        if (closing) {
            current = null;
            s.close(CLOSE_TIMEOUT_MS);
        }
    }

    private void onLoss(AmqpSession s, ShutdownSignalException cause) {
        publisher.takeBack(s);
        if (s != current || closing) {
            return; // a session that never became current, or a clean close
        }
        current = null;
        log.warn("{}: connection to {} lost: {}", name, options.url(), cause.getMessage());
        state.moveFrom(ConnectionState.CONNECTED, ConnectionState.RECONNECTING, cause);
        schedule(() -> reconnect(0), backoff.delayMillis(0));
    }

    /**
     * The broker closed the publishing channel, typically for a routing key the user may not write
     * (403). Publishes to that key fail for good; the others go out again on a new connection.
     */
    private void onPublishRefused(AmqpSession s, ChannelError error) {
        int refused = publisher.refuse(s, error);
        log.warn("{}: the broker closed the publishing channel ({} {}); {} publish(es) refused, reconnecting",
                name, error.code(), error.text(), refused);
        s.abort();
    }

    private void bindOrAbort(AmqpSession s) {
        try {
            binder.apply(s);
        } catch (IOException | RuntimeException e) {
            // e.g. an exclusive queue still held by our previous, not yet dead connection: the
            // channel is closed now, so start over on a new connection.
            log.warn("{}: subscribing failed ({}); reconnecting", name, e.getMessage());
            s.abort();
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private void runOnLifecycle(Runnable task) {
        try {
            lifecycle.execute(() -> runSafely(task));
        } catch (RejectedExecutionException e) {
            log.debug("{}: closed; task dropped", name);
        }
    }

    private void schedule(Runnable task, long delayMs) {
        try {
            lifecycle.schedule(() -> runSafely(task), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("{}: closed; reconnect not scheduled", name);
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("{}: unexpected failure on the lifecycle thread", name, e);
        }
    }

    private static CompletableFuture<Void> closedFuture() {
        return CompletableFuture.failedFuture(closedException());
    }

    private static TransportException closedException() {
        return new TransportException("transport closed");
    }

    private static ScheduledThreadPoolExecutor executor(String threadName) {
        return new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }
}
