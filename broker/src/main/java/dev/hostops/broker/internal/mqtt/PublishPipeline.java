package dev.hostops.broker.internal.mqtt;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.hostops.broker.AccessRefusedException;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes with "nothing silently lost". Messages wait here, in order, and go to the client as
 * far as the broker's Receive Maximum allows: the client blocks the calling thread when given more
 * than that (plus a little), and a publish must never block. The client keeps what it was given
 * across connection losses (the transport's reconnects resume its session, or republish after the
 * broker lost it) and sends it again until the broker acknowledges it, in the original order. A
 * future completes on the PUBACK, fails on a refusal, or fails after the publish timeout (a message
 * the client holds may still be delivered later: at least once, never zero times).
 *
 * <p>Bounded: at most {@code capacity} messages waiting here or held by the client, so a long
 * outage cannot fill the heap; past that, publish fails at once.
 */
final class PublishPipeline {
    /** A generous bound on a PUBLISH packet's size beyond its topic and payload (header, properties). */
    private static final int PUBLISH_OVERHEAD = 64;

    private final int capacity;
    private final Duration publishTimeout;
    private final ScheduledExecutorService timers;
    /** Where futures complete: the transport's own thread, never the client's I/O thread (callers chain work on them). */
    private final Executor completions;
    /** Waiting here or held by the client. */
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    private final Queue<Pending> unsent = new ConcurrentLinkedQueue<>();
    /** Given to the client and not yet completed by it (whatever became of our future meanwhile). */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger flushRequests = new AtomicInteger();
    /** Null until the first connection. */
    private volatile Mqtt5AsyncClient client;
    /** The broker's Receive Maximum and Maximum Packet Size, from its latest CONNACK. */
    private volatile int window;
    private volatile long maxPacketBytes = Long.MAX_VALUE;

    /** One publish; {@code sent} once handed to the client, {@code sending} is the client's future. */
    private static final class Pending {
        final OutboundMessage message;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        volatile boolean sent;
        volatile CompletableFuture<Mqtt5PublishResult> sending;

        Pending(OutboundMessage message) {
            this.message = message;
        }
    }

    PublishPipeline(int capacity, Duration publishTimeout, ScheduledExecutorService timers) {
        this.capacity = capacity;
        this.publishTimeout = publishTimeout;
        this.timers = timers;
        this.completions = command -> {
            try {
                timers.execute(command);
            } catch (RejectedExecutionException closed) {
                command.run(); // closed: there is no transport thread any more, and nothing slow left to protect
            }
        };
    }

    CompletableFuture<Void> publish(OutboundMessage message) {
        if (pending.size() >= capacity) {
            return CompletableFuture.failedFuture(new TransportException("publish to '" + message.topic()
                    + "' refused: " + capacity + " messages are already waiting for the broker"));
        }
        Pending p = new Pending(message);
        pending.add(p);
        try {
            ScheduledFuture<?> timeout = timers.schedule(() -> timeOut(p), publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
            p.future.whenComplete((v, e) -> {
                timeout.cancel(false);
                if (!p.sent) {
                    pending.remove(p); // sent ones count until the client is done with them
                }
            });
        } catch (RejectedExecutionException closing) {
            pending.remove(p);
            return CompletableFuture.failedFuture(new TransportException("transport closed"));
        }
        unsent.add(p);
        flush();
        return p.future;
    }

    /** A connection is up: remember the broker's limits, and send what waited. */
    void connected(Mqtt5AsyncClient c, int receiveMaximum, long maxPacketBytes) {
        this.window = receiveMaximum;
        this.maxPacketBytes = maxPacketBytes;
        this.client = c;
        flush();
    }

    /** Hands waiting messages to the client in order; whichever thread gets here first does it for all. */
    private void flush() {
        if (flushRequests.getAndIncrement() != 0) {
            return; // the thread already flushing loops once more
        }
        do {
            Mqtt5AsyncClient c = client;
            Pending p;
            while (c != null && inFlight.get() < window && (p = unsent.poll()) != null) {
                if (!p.future.isDone()) {
                    send(c, p);
                }
            }
        } while (flushRequests.decrementAndGet() != 0);
    }

    private void send(Mqtt5AsyncClient c, Pending p) {
        long size = (long) p.message.payload().length + p.message.topic().length() * 4L + PUBLISH_OVERHEAD;
        long max = maxPacketBytes;
        if (size > max) {
            // The client would refuse it with a less clear message; and it could never be sent.
            p.future.completeExceptionally(new TransportException("publish to '" + p.message.topic() + "' refused: "
                    + p.message.payload().length + " bytes is more than the broker's maximum packet size of " + max + " bytes"));
            return;
        }
        Mqtt5Publish publish;
        try {
            publish = MqttMessages.toPublish(p.message);
        } catch (RuntimeException e) {
            // Refused before it counts as in flight: a message the client cannot build must not hold a
            // window slot for ever, which would stop every publish after it.
            p.future.completeExceptionally(new TransportException("publish to '" + p.message.topic() + "' refused: "
                    + e.getMessage(), e));
            return;
        }
        p.sent = true;
        inFlight.incrementAndGet();
        p.sending = c.publish(publish);
        p.sending.whenCompleteAsync((result, e) -> {
            pending.remove(p);
            inFlight.decrementAndGet();
            flush();
            if (e == null) {
                p.future.complete(null);
            } else {
                p.future.completeExceptionally(failure(p.message, e));
            }
        }, completions);
    }

    private TransportException failure(OutboundMessage m, Throwable e) {
        Throwable t = MqttFailures.unwrap(e);
        if (t instanceof Mqtt5PubAckException refused) {
            Mqtt5PubAckReasonCode code = refused.getMqttMessage().getReasonCode();
            String message = "broker refused the publish to '" + m.topic() + "' (MQTT reason code "
                    + MqttFailures.hex(code) + ", " + code + ")";
            return code == Mqtt5PubAckReasonCode.NOT_AUTHORIZED
                    ? new AccessRefusedException(message, t) : new TransportException(message, t);
        }
        return new TransportException("publish to '" + m.topic() + "' failed: " + MqttFailures.describe(t), t);
    }

    private void timeOut(Pending p) {
        p.future.completeExceptionally(new TransportException("publish to '" + p.message.topic()
                + "' was not acknowledged by the broker within " + publishTimeout));
    }

    /**
     * Fails every waiting publish, for close(), and cancels what the client still holds: a
     * persistent session keeps unacknowledged publishes in the client, and each would keep its
     * I/O thread alive.
     */
    void failAll(TransportException reason) {
        unsent.clear();
        for (Pending p : List.copyOf(pending)) {
            p.future.completeExceptionally(reason);
            CompletableFuture<Mqtt5PublishResult> s = p.sending;
            if (s != null) {
                s.cancel(false);
            }
            pending.remove(p);
        }
    }

    /** Completes when every publish made so far has completed, successfully or not. */
    CompletableFuture<Void> drained() {
        return CompletableFuture.allOf(pending.stream().map(p -> p.future.handle((v, e) -> null))
                .toArray(CompletableFuture[]::new));
    }
}
