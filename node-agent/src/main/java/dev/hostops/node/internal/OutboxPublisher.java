package dev.hostops.node.internal;

import dev.hostops.broker.ConnectionState;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Transport;
import dev.hostops.node.store.NodeStore;
import dev.hostops.node.store.PendingPublication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the durable outbox: publishes pending entries in order and removes each only after the
 * broker acknowledged it. Runs on its own thread; woken when something is enqueued or the
 * connection comes back, and every second anyway.
 */
public final class OutboxPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);
    private static final int BATCH = 128;

    private final NodeStore store;
    private final Transport transport;
    private final AccessRefusals refusals;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    private volatile boolean kicked;
    private volatile boolean closed;

    public OutboxPublisher(NodeStore store, Transport transport, String node, AccessRefusals refusals) {
        this.store = store;
        this.transport = transport;
        this.refusals = refusals;
        this.thread = new Thread(this::loop, "hostops-outbox-" + node);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Something was enqueued or the connection is back: publish now. */
    public void kick() {
        lock.lock();
        try {
            kicked = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                awaitWork();
                if (closed) {
                    return;
                }
                if (transport.state() == ConnectionState.CONNECTED) {
                    drain();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (closed) {
                    return; // the agent stopped under a round (its transport closed): the entries stay for the next start
                }
                // Never let the outbox thread die: the entries stay, the next round retries.
                if (!refusals.report(e, "the message stays in the outbox and is tried again every second")) {
                    LOG.warn("outbox round failed, will retry: {}", e.toString());
                }
            }
        }
    }

    private void awaitWork() throws InterruptedException {
        lock.lock();
        try {
            if (!kicked) {
                wake.await(1, TimeUnit.SECONDS);
            }
            kicked = false;
        } finally {
            lock.unlock();
        }
    }

    private void drain() throws Exception {
        while (!closed) {
            List<PendingPublication> batch = store.pending(BATCH);
            if (batch.isEmpty()) {
                return;
            }
            List<CompletableFuture<Void>> acks = new ArrayList<>(batch.size());
            for (PendingPublication p : batch) {
                OutboundMessage m = new OutboundMessage(p.entry().topic(), p.entry().payload(),
                        dev.hostops.broker.Qos.AT_LEAST_ONCE, p.entry().retain(), null);
                acks.add(transport.publish(m));
            }
            List<Long> acknowledged = new ArrayList<>(batch.size());
            try {
                for (int i = 0; i < batch.size(); i++) {
                    acks.get(i).get(transport.options().publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    acknowledged.add(batch.get(i).seq());
                }
            } finally {
                // One commit for the whole batch: what the broker has leaves the outbox.
                store.acknowledgeAll(acknowledged);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        kick();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
