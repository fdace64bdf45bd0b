package dev.hostops.broker.internal.mqtt;

import dev.hostops.broker.internal.ConnectionStates;
import dev.hostops.broker.ConnectionListener;
import dev.hostops.broker.ConnectionState;
import dev.hostops.broker.MessageHandler;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportCapabilities;
import dev.hostops.broker.TransportException;
import dev.hostops.broker.TransportOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT 5 transport, over Eclipse Paho.
 *
 * <p>Each network connection gets a fresh Paho client with automatic reconnect off: reconnecting,
 * re-subscribing and re-sending unacknowledged publishes are done here, so the behaviour does not
 * depend on what Paho keeps across a reconnect. A failed first {@link #connect()} leaves the
 * transport CLOSED; create a new one to try again. After the first success the transport
 * reconnects forever (exponential backoff) until {@link #close()}.
 */
public final class MqttTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(MqttTransport.class);
    private static final int OUTBOX_CAPACITY = 10_000;
    private static final Duration CLOSE_DRAIN = Duration.ofSeconds(2);
    private static final TransportCapabilities CAPABILITIES = new TransportCapabilities(true, true);

    private final TransportOptions options;
    private final String name;
    private final ConnectionStates state;
    private final Subscriptions subscriptions = new Subscriptions();
    private final InboundDispatcher inbound;
    private final ScheduledThreadPoolExecutor scheduler;
    private final PublishPipeline publishes;
    private final Backoff backoff;
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    private final Object lifecycle = new Object();
    private SSLSocketFactory sslFactory;
    private volatile PahoConnection current;
    private volatile boolean closing;

    public MqttTransport(TransportOptions options) {
        this.options = Objects.requireNonNull(options, "options must not be null");
        if (!options.url().scheme().isMqtt()) {
            throw new IllegalArgumentException("MqttTransport needs an mqtt:// or mqtts:// URL, not " + options.url());
        }
        this.name = options.clientId();
        this.state = new ConnectionStates("mqtt " + name);
        this.inbound = new InboundDispatcher(name, subscriptions);
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "hostops-mqtt-" + name);
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.publishes = new PublishPipeline(name, OUTBOX_CAPACITY, options.publishTimeout(), scheduler, () -> current);
        this.backoff = new Backoff(options.reconnectMin(), options.reconnectMax());
    }

    @Override
    public CompletableFuture<Void> connect() {
        if (closing) {
            return closedFuture();
        }
        if (state.moveFrom(ConnectionState.NEW, ConnectionState.CONNECTING, null)) {
            try {
                sslFactory = PahoConnectOptions.sslFactory(options);
            } catch (TransportException e) {
                shutDown(e);
                return firstConnect.copy();
            }
            scheduler.execute(this::attempt);
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
        Objects.requireNonNull(qos, "qos must not be null");
        Objects.requireNonNull(handler, "handler must not be null");
        if (closing) {
            return closedFuture();
        }
        try {
            MqttTopicValidator.validate(topicFilter, true, true);
        } catch (IllegalArgumentException | NullPointerException e) {
            return CompletableFuture.failedFuture(new TransportException("'" + topicFilter + "' is not a valid MQTT topic filter"));
        }
        Subscriptions.Entry entry = subscriptions.add(topicFilter, qos, handler);
        PahoConnection c = current;
        if (c != null) {
            SubscribeRequests.send(c, entry, false, subscriptions, this::isCurrent);
        }
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
        PahoConnection c = current;
        if (c != null) {
            c.sockets().cutAll();
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
        if (current != null) {
            try {
                publishes.drained().get(CLOSE_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                log.debug("{}: closing with publishes still unacknowledged", name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inbound.shutdown(CLOSE_DRAIN); // before disconnecting, so the running handler's ack goes out
        PahoConnection c;
        synchronized (lifecycle) {
            c = current;
            current = null;
        }
        if (c != null) {
            disconnectCleanly(c.client());
        }
        scheduler.shutdown(); // delayed tasks (reconnects, timeouts) are dropped; queued client closes still run
        state.moveTo(ConnectionState.CLOSED, connectFailure);
        // futures fail after the state change, so a caller woken by one sees CLOSED
        TransportException closed = new TransportException("transport closed");
        publishes.failAll(closed);
        for (Subscriptions.Entry e : subscriptions.all()) {
            e.acked().completeExceptionally(closed);
        }
        firstConnect.completeExceptionally(connectFailure != null ? connectFailure : closed);
    }

    // ---- connection lifecycle -------------------------------------------------------------

    private void attempt() {
        if (closing) {
            return;
        }
        LiveSockets sockets = new LiveSockets();
        AtomicBoolean settled = new AtomicBoolean();
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(options.url().pahoServerUri(), options.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            connectFailed(null, e);
            return;
        }
        try {
            client.setManualAcks(true);
            client.setCallback(new Callback(client));
            client.connect(PahoConnectOptions.build(options, sslFactory, sockets), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    if (settled.compareAndSet(false, true)) {
                        connected(client, sockets, token);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    if (settled.compareAndSet(false, true)) {
                        connectFailed(client, e);
                    }
                }
            });
        } catch (MqttException | RuntimeException e) {
            settled.set(true);
            connectFailed(client, e);
            return;
        }
        // Paho's timeout covers the TCP connect; this one also covers a broker that never sends CONNACK.
        long guardMs = options.connectTimeout().toMillis() + 1000;
        scheduler.schedule(() -> {
            if (settled.compareAndSet(false, true)) {
                connectFailed(client, new TransportException("no answer from the broker within " + options.connectTimeout()));
            }
        }, guardMs, TimeUnit.MILLISECONDS);
    }

    private void connected(MqttAsyncClient client, LiveSockets sockets, IMqttToken token) {
        PahoConnection c;
        synchronized (lifecycle) {
            if (closing) {
                runAside(() -> disconnectCleanly(client));
                return;
            }
            MqttProperties props = token.getResponseProperties();
            Integer receiveMaximum = props == null ? null : props.getReceiveMaximum();
            boolean ids = props == null || props.isSubscriptionIdentifiersAvailable();
            Long maxPacket = props == null ? null : props.getMaximumPacketSize();
            c = new PahoConnection(client, sockets, receiveMaximum == null || receiveMaximum <= 0 ? 65535 : receiveMaximum, ids,
                    maxPacket == null || maxPacket <= 0 ? Long.MAX_VALUE : maxPacket);
            current = c;
        }
        backoff.reset();
        state.moveTo(ConnectionState.CONNECTED, null);
        log.debug("{}: connected to {} (session present: {})", name, options.url(), token.getSessionPresent());
        // The broker may have lost the session (restart without persistence): subscribe again every time.
        for (Subscriptions.Entry e : subscriptions.all()) {
            SubscribeRequests.send(c, e, true, subscriptions, this::isCurrent);
        }
        firstConnect.complete(null);
        publishes.flush();
    }

    private void connectFailed(MqttAsyncClient client, Throwable e) {
        if (client != null) {
            runAside(() -> closeQuietly(client));
        }
        if (closing) {
            return;
        }
        if (!firstConnect.isDone()) {
            shutDown(new TransportException("cannot connect to " + options.url() + " as '" + name + "': " + describe(e), e));
            return;
        }
        log.debug("{}: reconnect to {} failed: {}", name, options.url(), describe(e));
        scheduleReconnect();
    }

    private void connectionLost(MqttAsyncClient client, Throwable cause) {
        synchronized (lifecycle) {
            PahoConnection c = current;
            if (c == null || c.client() != client) {
                return; // an old connection, or close() already took it
            }
            current = null;
        }
        publishes.requeueInFlight();
        runAside(() -> closeQuietly(client));
        if (closing) {
            return;
        }
        log.info("{}: connection to {} lost ({}); reconnecting", name, options.url(), describe(cause));
        state.moveTo(ConnectionState.RECONNECTING, cause);
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        runAside(() -> scheduler.schedule(this::attempt, backoff.nextDelayMs(), TimeUnit.MILLISECONDS));
    }

    private boolean isCurrent(PahoConnection c) {
        return current == c;
    }

    /** Paho forbids disconnecting from its own callback threads, so lifecycle work runs on ours. */
    private void runAside(Runnable r) {
        try {
            scheduler.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            Thread t = new Thread(r, "hostops-mqtt-close-" + name);
            t.setDaemon(true);
            t.start();
        }
    }

    /** Sends DISCONNECT (reason 0), so the broker discards the last will. */
    private void disconnectCleanly(MqttAsyncClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(CLOSE_DRAIN.toMillis());
            }
        } catch (MqttException | RuntimeException e) {
            log.debug("{}: clean disconnect failed: {}", name, e.toString());
        }
        closeQuietly(client);
    }

    private void closeQuietly(MqttAsyncClient client) {
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            log.debug("{}: closing a Paho client failed: {}", name, e.toString());
        }
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return "no cause given";
        }
        if (e instanceof MqttException me && me.getReasonCode() < 0x100 && me.getReasonCode() >= 0x80) {
            return "the broker refused: " + me.getMessage() + " (MQTT reason code 0x" + Integer.toHexString(me.getReasonCode()) + ")";
        }
        Throwable root = e.getCause() != null && e.getCause() != e ? e.getCause() : e;
        return e.getMessage() + (root != e ? " (" + root + ")" : "");
    }

    private static <T> CompletableFuture<T> closedFuture() {
        return CompletableFuture.failedFuture(new TransportException("transport closed"));
    }

    /** Paho's callback for one client; events from a client that is no longer current are ignored. */
    private final class Callback implements MqttCallback {
        private final MqttAsyncClient client;

        Callback(MqttAsyncClient client) {
            this.client = client;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            connectionLost(client, response == null ? null : response.getException());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            log.warn("{}: MQTT protocol error: {}", name, exception.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            inbound.dispatch(client, topic, message);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // publish futures complete through their own action listener
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // handled by the connect action listener
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
