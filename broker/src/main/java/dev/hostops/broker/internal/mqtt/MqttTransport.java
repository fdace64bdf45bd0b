package dev.hostops.broker.internal.mqtt;

import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientReconnector;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConnectionConfig;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import dev.hostops.broker.AccessRefusedException;
import dev.hostops.broker.ConnectionListener;
import dev.hostops.broker.ConnectionState;
import dev.hostops.broker.MessageHandler;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.SessionTakenOverException;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportCapabilities;
import dev.hostops.broker.TransportException;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.internal.ConnectionStates;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT 5 transport, over the HiveMQ MQTT client.
 *
 * <p>One client for the transport's life. Its session (clean start false and the options' session
 * expiry, for a persistent session) carries unacknowledged publishes and subscriptions across
 * reconnects; the client resends the one and, when the broker lost the session, restores the other
 * and republishes. Whether and when to reconnect is decided here: never after a failed first
 * {@link #connect()} (the transport closes; create a new one to try again), otherwise after an
 * exponential backoff with jitter, until {@link #close()}; after the broker handed the session to
 * another client with the same client id, after at least the delay {@link Takeovers} says, and the
 * loss's cause is a {@link SessionTakenOverException}.
 *
 * <p>Threads: the client's I/O (one Netty event loop), this transport's (state changes, timers,
 * subscription bookkeeping, completing publish futures) and one for message handlers; see
 * {@link TransportThreads}.
 *
 * <p>{@link #simulateConnectionLoss()} sends DISCONNECT with reason code 0x04 (Disconnect with Will
 * Message): the HiveMQ client has no way to drop its socket abruptly, and this reason code makes the
 * broker treat the disconnect as a lost connection (it publishes the will and keeps the session).
 */
public final class MqttTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(MqttTransport.class);
    private static final int OUTBOX_CAPACITY = 10_000;
    private static final Duration CLOSE_DRAIN = Duration.ofSeconds(2);
    private static final TransportCapabilities CAPABILITIES = new TransportCapabilities(true, true, true);

    static {
        RxJavaSetup.apply(); // before the client's classes load
    }

    private final TransportOptions options;
    private final String name;
    private final ConnectionStates state;
    private final TransportThreads threads;
    private final ScheduledThreadPoolExecutor scheduler;
    /** The transport's thread, for work handed over from the client's; does nothing once closed. */
    private final Executor onTransportThread;
    private final Subscriptions subscriptions = new Subscriptions();
    private final BrokerSubscriptions brokerSubscriptions;
    private final InboundDispatcher inbound;
    private final PublishPipeline publishes;
    private final Backoff backoff;
    private final Takeovers takeovers;
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    /** Delays before reconnects; completed early on close so the client gives up at once. */
    private final Set<CompletableFuture<Void>> reconnectDelays = ConcurrentHashMap.newKeySet();
    private final Object lifecycle = new Object();
    private volatile Mqtt5AsyncClient client;
    /** Set on the client's thread when a connection is up, before the transport's thread hears of it. */
    private volatile boolean everConnected;
    /** A connection is up (client's I/O thread): a disconnect now ends an established connection, not an attempt. */
    private volatile boolean up;
    /** The first connection's subscriptions are placed (transport's thread only). */
    private boolean started;
    private volatile boolean closing;

    public MqttTransport(TransportOptions options) {
        this.options = Objects.requireNonNull(options, "options must not be null");
        if (!options.url().scheme().isMqtt()) {
            throw new IllegalArgumentException("MqttTransport needs an mqtt:// or mqtts:// URL, not " + options.url());
        }
        this.name = options.clientId();
        this.state = new ConnectionStates("mqtt " + name);
        this.threads = new TransportThreads(name);
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> threads.newThread("transport", r));
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.onTransportThread = command -> {
            try {
                scheduler.execute(command);
            } catch (RejectedExecutionException closed) {
                // closed: nothing left to do for the client's late news
            }
        };
        this.brokerSubscriptions = new BrokerSubscriptions(name, subscriptions, onTransportThread);
        this.inbound = new InboundDispatcher(name, subscriptions, threads);
        this.publishes = new PublishPipeline(OUTBOX_CAPACITY, options.publishTimeout(), scheduler);
        this.backoff = new Backoff(options.reconnectMin(), options.reconnectMax());
        this.takeovers = new Takeovers(options.reconnectMax(), System::nanoTime);
    }

    @Override
    public CompletableFuture<Void> connect() {
        if (closing) {
            return closedFuture();
        }
        if (state.moveFrom(ConnectionState.NEW, ConnectionState.CONNECTING, null)) {
            Mqtt5AsyncClient c;
            try {
                c = MqttClients.build(options, command -> threads.newThread("io", command).start(),
                        this::onConnected, this::onDisconnected);
            } catch (TransportException e) {
                shutDown(e);
                return firstConnect.copy();
            }
            client = c;
            inbound.start(c);
            MqttClients.connect(c, options).whenCompleteAsync((ack, e) -> {
                if (e != null) {
                    String message = "cannot connect to " + options.url() + " as '" + name + "': " + MqttFailures.describe(e);
                    shutDown(MqttFailures.loginRefused(e)
                            ? new AccessRefusedException(message, MqttFailures.unwrap(e))
                            : new TransportException(message, MqttFailures.unwrap(e)));
                }
            }, onTransportThread);
        }
        return firstConnect.copy(); // a copy: a caller cancelling it must not change what we think happened
    }

    @Override
    public CompletableFuture<Void> publish(OutboundMessage message) {
        Objects.requireNonNull(message, "message must not be null");
        return closing ? closedFuture() : publishes.publish(message);
    }

    @Override
    public CompletableFuture<Void> subscribe(String topicFilter, Qos qos, MessageHandler handler) {
        return subscribe(topicFilter, qos, handler, false);
    }

    @Override
    public CompletableFuture<Void> subscribeToOthers(String topicFilter, Qos qos, MessageHandler handler) {
        return subscribe(topicFilter, qos, handler, true);
    }

    private CompletableFuture<Void> subscribe(String topicFilter, Qos qos, MessageHandler handler, boolean noLocal) {
        Objects.requireNonNull(qos, "qos must not be null");
        Objects.requireNonNull(handler, "handler must not be null");
        if (closing) {
            return closedFuture();
        }
        Subscriptions.Entry entry;
        try {
            entry = subscriptions.add(topicFilter, qos, handler, noLocal);
        } catch (IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.failedFuture(new TransportException("'" + topicFilter + "' is not a valid MQTT topic filter"));
        }
        onTransportThread.execute(() -> {
            if (started) {
                brokerSubscriptions.place(client, entry);
            }
        });
        return entry.acked().copy();
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
            throw new TransportException("transport closed");
        }
        Mqtt5AsyncClient c = client;
        if (c != null) {
            c.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
        }
    }

    @Override
    public void close() {
        shutDown(null);
    }

    /** close(), and when the first connect failed, that failure for the connect() future instead of "transport closed". */
    private void shutDown(TransportException connectFailure) {
        synchronized (lifecycle) {
            if (closing) {
                return;
            }
            closing = true;
        }
        reconnectDelays.forEach(d -> d.complete(null)); // a reconnect waiting for its delay sees closing and gives up
        Mqtt5AsyncClient c = client;
        boolean mayWait = !threads.isCurrent();
        if (c != null && everConnected && mayWait) {
            await(publishes.drained(), "publishes still unacknowledged");
        }
        inbound.shutdown(CLOSE_DRAIN); // before disconnecting, so the running handler's ack goes out
        if (c != null) {
            // Reason code 0: the broker discards the will. Fails at once when not connected (a
            // reconnect attempt then sees closing and stops, see onConnected and onDisconnected).
            CompletableFuture<Void> disconnected = c.disconnect();
            if (mayWait) {
                await(disconnected, "no clean disconnect");
            }
        }
        inbound.release(); // only now: until the disconnect, a message must find a flow that does not ack it
        state.moveTo(ConnectionState.CLOSED, connectFailure);
        // futures fail after the state change, so a caller woken by one sees CLOSED
        TransportException closed = new TransportException("transport closed");
        publishes.failAll(closed);
        for (Subscriptions.Entry e : subscriptions.all()) {
            e.acked().completeExceptionally(closed);
        }
        firstConnect.completeExceptionally(connectFailure != null ? connectFailure : closed);
        onTransportThread.execute(brokerSubscriptions::abandon);
        scheduler.shutdown(); // delayed tasks (timeouts) are dropped; queued ones still run
    }

    private void await(CompletableFuture<?> f, String what) {
        try {
            f.get(CLOSE_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("{}: closing with {} ({})", name, what, e.toString());
        }
    }

    // ---- the client's lifecycle events (on its I/O thread: decide, then hand over) -----------

    private void onConnected(MqttClientConnectedContext context) {
        if (closing) {
            client.disconnect(); // a reconnect that was under way when close() ran
            return;
        }
        everConnected = true;
        up = true;
        // What the client may send at once (the broker's Receive Maximum, capped by the client) and how big.
        Mqtt5ClientConnectionConfig.RestrictionsForClient limits = ((Mqtt5ClientConnectedContext) context).getClientConfig()
                .getConnectionConfig().orElseThrow().getRestrictionsForClient();
        int sendMaximum = limits.getSendMaximum();
        long maxPacket = limits.getSendMaximumPacketSize();
        onTransportThread.execute(() -> connected(sendMaximum, maxPacket));
    }

    private void connected(int sendMaximum, long maxPacketBytes) {
        if (closing) {
            return;
        }
        backoff.reset();
        state.moveTo(ConnectionState.CONNECTED, null);
        log.debug("{}: connected to {}", name, options.url());
        if (!started) {
            started = true;
            brokerSubscriptions.placeAll(client);
        }
        publishes.connected(client, sendMaximum, maxPacketBytes);
        firstConnect.complete(null);
    }

    /**
     * Called for every lost connection and every failed attempt. The reconnector must be told here,
     * on this thread; the delay is a future of ours so that close() can end the wait.
     */
    private void onDisconnected(MqttClientDisconnectedContext context) {
        Throwable cause = context.getCause();
        if (closing || !everConnected) {
            return; // no reconnect: the client's default. A failed first connect fails connect().
        }
        MqttClientReconnector reconnector = context.getReconnector();
        CompletableFuture<Void> delay = new CompletableFuture<>();
        reconnectDelays.add(delay);
        long delayMs = backoff.nextDelayMs();
        boolean established = up;
        up = false;
        Takeovers.Verdict takeover = null;
        if (established) {
            boolean said = MqttFailures.reasonCode(cause).orElse(null) == Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER;
            if (said || MqttFailures.unwrap(cause) instanceof ConnectionClosedException) {
                // Perhaps another client with our client id: taking the session back at once only
                // starts a tug of war (see Takeovers).
                takeover = takeovers.record(said);
                delayMs = Math.max(delayMs, takeover.delayMs());
            }
        }
        try {
            scheduler.schedule(() -> delay.complete(null), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            delay.complete(null);
        }
        reconnector
                // a clean session's unacknowledged publishes survive the loss too (the client keeps them)
                .republishIfSessionExpired(true)
                .reconnectWhen(delay, (ok, e) -> {
                    reconnectDelays.remove(delay);
                    if (closing) {
                        reconnector.reconnect(false);
                    }
                });
        Throwable why = takeover == null || !takeover.takeover() ? cause : new SessionTakenOverException(
                (MqttFailures.reasonCode(cause).isPresent()
                        ? "another client connected to " + options.url() + " with client id '" + name
                                + "' and the broker handed it this session (MQTT DISCONNECT 0x8e, Session taken over)"
                        : "the broker at " + options.url() + " closed the connection of client id '" + name
                                + "' without a reason, " + takeover.inWindow() + " times in " + Takeovers.WINDOW.toMinutes()
                                + " min, each time after accepting it: so Mosquitto ends the older of two connections"
                                + " with one client id")
                        + "; taking it back in " + delayMs + " ms", cause);
        onTransportThread.execute(() -> lost(why));
    }

    private void lost(Throwable cause) {
        if (closing) {
            return;
        }
        if (state.moveFrom(ConnectionState.CONNECTED, ConnectionState.RECONNECTING, cause)) {
            log.info("{}: connection to {} lost ({}); reconnecting", name, options.url(),
                    cause instanceof SessionTakenOverException ? cause.getMessage() : MqttFailures.describe(cause));
        } else {
            log.debug("{}: reconnect to {} failed: {}", name, options.url(), MqttFailures.describe(cause));
        }
    }

    private static <T> CompletableFuture<T> closedFuture() {
        return CompletableFuture.failedFuture(new TransportException("transport closed"));
    }
}
