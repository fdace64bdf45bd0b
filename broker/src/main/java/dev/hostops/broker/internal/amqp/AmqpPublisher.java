package dev.hostops.broker.internal.amqp;

import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.AccessRefusedException;
import dev.hostops.broker.TransportException;
import dev.hostops.contracts.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The publishing side of the AMQP transport: a publish goes straight to the current session, or
 * waits in the bounded {@link PublishBuffer} while there is none, and is sent again after a
 * connection loss until the broker confirms it, its timeout passes, or the transport closes.
 *
 * <p>One lock guards the buffer, the current session and every write on its publishing channel
 * (channels are not thread-safe, and publish order must be send order).
 */
final class AmqpPublisher {
    private final Duration publishTimeout;
    private final ScheduledExecutorService timeouts;
    private final Consumer<AmqpSession> onSendFailure;
    private final ReentrantLock lock = new ReentrantLock();
    private final PublishBuffer buffer;
    private final Set<PendingPublish> inFlight = ConcurrentHashMap.newKeySet();
    private AmqpSession session; // guarded by lock; null while (re)connecting
    private boolean closed; // guarded by lock

    /**
     * @param onSendFailure told, on the publishing thread, that a write on this session failed:
     *                      the connection may be going down, or only its channel
     */
    AmqpPublisher(int capacity, Duration publishTimeout, ScheduledExecutorService timeouts,
            Consumer<AmqpSession> onSendFailure) {
        this.buffer = new PublishBuffer(capacity);
        this.publishTimeout = publishTimeout;
        this.timeouts = timeouts;
        this.onSendFailure = onSendFailure;
    }

    CompletableFuture<Void> publish(OutboundMessage message) {
        PendingPublish p = new PendingPublish(message, new CompletableFuture<>());
        track(p);
        lock.lock();
        try {
            if (closed) {
                p.future().completeExceptionally(new TransportException("transport closed"));
            } else if (session == null || !buffer.isEmpty()) {
                buffer.add(p);
            } else {
                sendOrBuffer(session, p);
            }
        } finally {
            lock.unlock();
        }
        return p.future().copy();
    }

    /** Sends everything that waited, oldest first, then lets new publishes go straight to {@code s}. */
    void resume(AmqpSession s) throws IOException {
        lock.lock();
        try {
            PendingPublish p;
            while ((p = buffer.poll()) != null) {
                if (p.isDone()) {
                    continue;
                }
                try {
                    s.publish(p);
                } catch (IOException e) {
                    buffer.addFirst(p);
                    throw e;
                }
            }
            session = s;
        } finally {
            lock.unlock();
        }
    }

    /** After {@code s} was lost: its unconfirmed publishes wait for the next session, first in line. */
    void takeBack(AmqpSession s) {
        lock.lock();
        try {
            if (session == s) {
                session = null;
            }
            buffer.addFirstAll(s.takeUnconfirmed());
        } finally {
            lock.unlock();
        }
    }

    /**
     * After the broker closed {@code s}'s publishing channel with {@code error}: publishes it
     * refuses fail for good, the others (dropped with the channel) wait for the next session.
     *
     * @return how many publishes failed
     */
    int refuse(AmqpSession s, ChannelError error) {
        int refused = 0;
        lock.lock();
        try {
            if (session == s) {
                session = null;
            }
            List<PendingPublish> retry = new ArrayList<>();
            for (PendingPublish p : s.takeUnconfirmed()) {
                String key = Topics.toRoutingKey(p.message().topic());
                if (error.refusesEveryPublish() || (error.accessRefused() && error.names(key))) {
                    p.future().completeExceptionally(new AccessRefusedException(
                            "the broker refused the message to '" + p.message().topic() + "': " + error.text()));
                    refused++;
                } else {
                    retry.add(p);
                }
            }
            buffer.addFirstAll(retry);
        } finally {
            lock.unlock();
        }
        return refused;
    }

    /** Waits up to {@code max} for every publish made so far to complete; false if some did not. */
    boolean awaitInFlight(Duration max) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (PendingPublish p : inFlight) {
            futures.add(p.future());
        }
        try {
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(max.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return inFlight.isEmpty();
        }
    }

    /** Refuses new publishes and fails every pending one with {@code cause}. */
    void close(TransportException cause) {
        List<PendingPublish> left;
        lock.lock();
        try {
            closed = true;
            session = null;
            left = buffer.drain();
        } finally {
            lock.unlock();
        }
        left.addAll(inFlight);
        for (PendingPublish p : left) {
            p.future().completeExceptionally(cause);
        }
    }

    private void sendOrBuffer(AmqpSession s, PendingPublish p) {
        try {
            s.publish(p);
        } catch (IOException e) {
            // The connection or the channel is going down; this goes out on the next session.
            buffer.add(p);
            session = null;
            onSendFailure.accept(s);
        }
    }

    private void track(PendingPublish p) {
        inFlight.add(p);
        ScheduledFuture<?> timeout;
        try {
            timeout = timeouts.schedule(() -> p.future().completeExceptionally(new TransportException(
                    "the broker did not confirm the message to '" + p.message().topic() + "' within "
                            + publishTimeout.toMillis() + " ms")),
                    publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            p.future().completeExceptionally(new TransportException("transport closed"));
            inFlight.remove(p);
            return;
        }
        p.future().whenComplete((v, e) -> {
            timeout.cancel(false);
            inFlight.remove(p);
        });
    }
}
