package dev.hostops.broker.internal.mqtt;

import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes with "nothing silently lost": every message waits in a bounded outbox until a
 * connection is up, goes out within the broker's Receive Maximum window, and its future completes
 * only on the PUBACK. Messages cut off by a connection loss go back to the outbox (in their
 * original order) and are sent again on the next connection: at least once, never zero times.
 */
final class PublishPipeline {
    private static final Logger log = LoggerFactory.getLogger(PublishPipeline.class);

    /** Paho reason codes that mean "the connection went away", not "the broker said no". */
    private static final Set<Integer> CONNECTION_GONE = Set.of(
            (int) MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED,
            (int) MqttClientException.REASON_CODE_CONNECTION_LOST,
            (int) MqttClientException.REASON_CODE_CLIENT_DISCONNECTING,
            (int) MqttClientException.REASON_CODE_CLIENT_CLOSED,
            (int) MqttClientException.REASON_CODE_MAX_INFLIGHT,
            (int) MqttClientException.REASON_CODE_CLIENT_TIMEOUT,
            (int) MqttClientException.REASON_CODE_WRITE_TIMEOUT);

    private final String name;
    private final int capacity;
    private final Duration publishTimeout;
    private final ScheduledExecutorService timers;
    private final Supplier<PahoConnection> connection;
    private final PriorityBlockingQueue<PendingPublish> outbox = new PriorityBlockingQueue<>();
    private final Set<PendingPublish> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger flushRequests = new AtomicInteger();
    /** Set when Paho said its in-flight window is full: sending pauses briefly instead of spinning. */
    private final AtomicBoolean paused = new AtomicBoolean();

    PublishPipeline(String name, int capacity, Duration publishTimeout, ScheduledExecutorService timers,
            Supplier<PahoConnection> connection) {
        this.name = name;
        this.capacity = capacity;
        this.publishTimeout = publishTimeout;
        this.timers = timers;
        this.connection = connection;
    }

    CompletableFuture<Void> publish(OutboundMessage message) {
        if (pending.size() >= capacity) {
            return CompletableFuture.failedFuture(new TransportException("publish to '" + message.topic()
                    + "' refused: " + capacity + " messages are already waiting for the broker"));
        }
        PendingPublish p = new PendingPublish(seq.incrementAndGet(), message);
        pending.add(p);
        try {
            ScheduledFuture<?> timeout = timers.schedule(() -> timeOut(p), publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
            p.future.whenComplete((v, e) -> {
                timeout.cancel(false);
                pending.remove(p);
                if (release(p)) {
                    flush(); // timed out or failed while in flight: free its place in the window
                }
            });
        } catch (RejectedExecutionException closing) {
            pending.remove(p);
            return CompletableFuture.failedFuture(new TransportException("transport closed"));
        }
        outbox.add(p);
        flush();
        return p.future;
    }

    /** Sends what the outbox holds, as far as the connection's window allows. Safe from any thread. */
    void flush() {
        if (flushRequests.getAndIncrement() != 0) {
            return; // the thread already flushing will loop once more
        }
        do {
            PahoConnection c = connection.get();
            while (c != null && !paused.get() && inFlight.get() < c.window()) {
                PendingPublish p = outbox.poll();
                if (p == null) {
                    break;
                }
                if (!p.future.isDone()) {
                    send(c, p);
                }
                c = connection.get();
            }
        } while (flushRequests.decrementAndGet() != 0);
    }

    private void send(PahoConnection c, PendingPublish p) {
        if (!c.fits(p.message.topic(), p.message.payload())) {
            // The broker would drop the connection for it, and a resend after every reconnect
            // would never end: refuse it here, saying why.
            p.future.completeExceptionally(new TransportException("publish to '" + p.message.topic() + "' refused: "
                    + p.message.payload().length + " bytes is more than the broker's maximum packet size of "
                    + c.maxPacketBytes() + " bytes"));
            return;
        }
        p.inFlight.set(true);
        inFlight.incrementAndGet();
        try {
            c.client().publish(p.message.topic(), MqttMessages.toPaho(p.message), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acked(p, token);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    failed(c, p, e);
                }
            });
        } catch (MqttException | RuntimeException e) {
            failed(c, p, e);
        }
    }

    private void acked(PendingPublish p, IMqttToken token) {
        if (!release(p)) {
            // already sent again after a connection loss; this late ack still means the broker has it
            log.debug("{}: late acknowledgement for a publish to '{}'", name, p.message.topic());
        }
        int[] codes = token.getReasonCodes();
        if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
            p.future.completeExceptionally(new TransportException("broker refused the publish to '"
                    + p.message.topic() + "' (MQTT reason code 0x" + Integer.toHexString(codes[0]) + ")"));
        } else {
            p.future.complete(null);
        }
        // Not from inside Paho's callback: Paho still counts this publish as in flight until the
        // callback returns, so sending from here would hit its window and force a pause.
        flushAside();
    }

    private void flushAside() {
        try {
            timers.execute(this::flush);
        } catch (RejectedExecutionException closing) {
            // closed: nothing more to send
        }
    }

    private void failed(PahoConnection c, PendingPublish p, Throwable e) {
        if (!release(p)) {
            return; // requeueInFlight() already took it back
        }
        int code = e instanceof MqttException me ? me.getReasonCode() : -1;
        if (code == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
            // Paho counts its window differently from ours: try again shortly, do not spin.
            outbox.add(p);
            if (paused.compareAndSet(false, true)) {
                try {
                    timers.schedule(() -> {
                        paused.set(false);
                        flush();
                    }, 1, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closing) {
                    paused.set(false);
                }
            }
            return;
        }
        if (CONNECTION_GONE.contains(code) || !c.client().isConnected() || connection.get() != c) {
            outbox.add(p);
            log.debug("{}: publish to '{}' will be sent again after the reconnect ({})", name, p.message.topic(), e.toString());
        } else {
            p.future.completeExceptionally(new TransportException("broker refused the publish to '"
                    + p.message.topic() + "': " + e.getMessage(), e));
        }
        flush();
    }

    /** After a connection loss: everything sent but not acknowledged goes out again on the next connection. */
    void requeueInFlight() {
        for (PendingPublish p : pending) {
            if (release(p) && !p.future.isDone()) {
                outbox.add(p);
            }
        }
    }

    /** Fails every waiting publish; for close(). */
    void failAll(TransportException reason) {
        for (PendingPublish p : List.copyOf(pending)) {
            p.future.completeExceptionally(reason);
        }
        outbox.clear();
    }

    /** Completes when every publish made so far has completed, successfully or not. */
    CompletableFuture<Void> drained() {
        return CompletableFuture.allOf(pending.stream().map(p -> p.future.handle((v, e) -> null))
                .toArray(CompletableFuture[]::new));
    }

    private boolean release(PendingPublish p) {
        if (p.inFlight.compareAndSet(true, false)) {
            inFlight.decrementAndGet();
            return true;
        }
        return false;
    }

    private void timeOut(PendingPublish p) {
        if (p.future.completeExceptionally(new TransportException("publish to '" + p.message.topic()
                + "' was not acknowledged by the broker within " + publishTimeout))) {
            outbox.remove(p);
        }
    }
}
