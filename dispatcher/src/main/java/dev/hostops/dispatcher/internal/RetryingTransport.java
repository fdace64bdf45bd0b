package dev.hostops.dispatcher.internal;

import dev.hostops.broker.ConnectionListener;
import dev.hostops.broker.ConnectionState;
import dev.hostops.broker.MessageHandler;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportCapabilities;
import dev.hostops.broker.TransportException;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport that keeps trying its first connection. The transports of the broker module
 * reconnect by themselves after a first success, but give up (and close) when the first connect
 * fails; the dispatcher must start anyway (accepting commands into its outbox) when the broker is
 * not up yet. So this wrapper makes a new transport after each failed first attempt, with
 * backoff, and once one connects, delegates everything to it.
 *
 * <p>Before the first connection: {@link #state()} is CONNECTING, publishes fail at once with
 * {@link TransportException}, subscriptions and listeners are remembered and given to each new
 * transport before it connects (so queued session messages find their handler).
 */
public final class RetryingTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingTransport.class);

    private record Sub(String filter, Qos qos, MessageHandler handler, boolean toOthers) {}

    private final TransportOptions options;
    private final Function<TransportOptions, Transport> factory;
    private final List<Sub> subs = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hostops-dispatcher-broker-connect");
        t.setDaemon(true);
        return t;
    });
    private volatile Transport current;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile String lastError;
    private boolean started;

    public RetryingTransport(TransportOptions options) {
        this(options, Transports::create);
    }

    RetryingTransport(TransportOptions options, Function<TransportOptions, Transport> factory) {
        this.options = options;
        this.factory = factory;
    }

    /** Completes at the first successful connection; never fails (it keeps trying until {@link #close()}). */
    @Override
    public synchronized CompletableFuture<Void> connect() {
        if (!started && !closed) {
            started = true;
            attempt(options.reconnectMin());
        }
        return firstConnect.copy();
    }

    private void attempt(Duration nextDelay) {
        if (closed) {
            return;
        }
        Transport t = factory.apply(options);
        for (ConnectionListener l : listeners) {
            t.addListener(l);
        }
        for (Sub s : subs) {
            subscribe(t, s);
        }
        current = t;
        t.connect().whenComplete((ok, err) -> {
            if (err == null) {
                connected = true;
                lastError = null;
                if (closed) {
                    t.close();
                }
                firstConnect.complete(null);
                return;
            }
            t.close();
            if (closed) {
                return;
            }
            Duration next = nextDelay.multipliedBy(2).compareTo(options.reconnectMax()) > 0 ? options.reconnectMax() : nextDelay.multipliedBy(2);
            lastError = rootMessage(err);
            LOG.warn("broker {} not reachable yet ({}); trying again in {} ms; commands are kept meanwhile",
                    options.url(), lastError, nextDelay.toMillis());
            try {
                retries.schedule(() -> attempt(next), nextDelay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // closed meanwhile
            }
        });
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return t.getCause() != null && t.getCause().getMessage() != null ? t.getCause().getMessage() : String.valueOf(c.getMessage());
    }

    /** Why the last first-connection attempt failed (never with a password), or null. */
    public String lastError() {
        return lastError;
    }

    @Override
    public CompletableFuture<Void> publish(OutboundMessage message) {
        Transport t = current;
        if (closed) {
            return CompletableFuture.failedFuture(new TransportException("transport closed"));
        }
        if (!connected || t == null) {
            return CompletableFuture.failedFuture(new TransportException("not connected to " + options.url() + " yet"));
        }
        return t.publish(message);
    }

    @Override
    public CompletableFuture<Void> subscribe(String topicFilter, Qos qos, MessageHandler handler) {
        return remember(new Sub(topicFilter, qos, handler, false));
    }

    @Override
    public CompletableFuture<Void> subscribeToOthers(String topicFilter, Qos qos, MessageHandler handler) {
        return remember(new Sub(topicFilter, qos, handler, true));
    }

    private CompletableFuture<Void> remember(Sub s) {
        subs.add(s);
        Transport t = current;
        return t == null ? CompletableFuture.completedFuture(null) : subscribe(t, s);
    }

    private static CompletableFuture<Void> subscribe(Transport t, Sub s) {
        return s.toOthers() ? t.subscribeToOthers(s.filter(), s.qos(), s.handler()) : t.subscribe(s.filter(), s.qos(), s.handler());
    }

    @Override
    public ConnectionState state() {
        if (closed) {
            return ConnectionState.CLOSED;
        }
        Transport t = current;
        if (!connected || t == null) {
            return started ? ConnectionState.CONNECTING : ConnectionState.NEW;
        }
        return t.state();
    }

    @Override
    public void addListener(ConnectionListener listener) {
        listeners.add(listener);
        Transport t = current;
        if (t != null) {
            t.addListener(listener);
        }
    }

    @Override
    public TransportCapabilities capabilities() {
        Transport t = current;
        return t != null ? t.capabilities() : new TransportCapabilities(options.url().scheme().isMqtt(), options.url().scheme().isMqtt(),
                options.url().scheme().isMqtt());
    }

    @Override
    public TransportOptions options() {
        return options;
    }

    @Override
    public void simulateConnectionLoss() {
        Transport t = current;
        if (t != null) {
            t.simulateConnectionLoss();
        }
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        Transport t = current;
        if (t != null) {
            t.close();
        }
    }
}
