package dev.hostops.node.internal;

import dev.hostops.node.store.NodeStore;
import dev.hostops.node.store.QueuedCommand;
import dev.hostops.node.store.StoreException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the commands waiting on a node from filling its memory, whatever the backlog. A broker
 * hands an agent everything queued for it while it was away (a durable AMQP queue has no limit,
 * and Mosquitto 2.0 ignores the Receive Maximum that would pace it), and a burst can outrun the
 * execution slots by any amount: 100,000 waiting commands exhausted the agent's 96 MiB heap
 * before this class existed.
 *
 * <p>A claimed command is in the store already (DELIVERED, with its exec). Up to {@code limit}
 * prepared commands wait in memory for a slot or an approval; while that many wait, newly claimed
 * ones are left in the store, and read back a page at a time, in claim order
 * ({@link NodeStore#deliveredAfter}), once the queue in memory is down to {@code limit - page}.
 * Commands therefore still run in the order they were claimed, and a restarted agent begins the
 * same way: with whatever DELIVERED commands the store holds.
 *
 * <p>Claim order comes from {@link dev.hostops.node.store.Claim.New#seq()}, which the store
 * never hands out twice. All methods but {@link #drained} run on the preparer thread.
 */
final class Backlog {
    private static final Logger LOG = LoggerFactory.getLogger(Backlog.class);

    private final NodeStore store;
    private final IntSupplier waitingInMemory;
    private final Executor preparer;
    private final Consumer<QueuedCommand> prepare;
    private final int limit;
    private final int page;
    private final AtomicBoolean readScheduled = new AtomicBoolean();
    /** Claim seq of the last command handed to {@code prepare}; preparer thread only. */
    private long preparedUpTo;
    /** True while claimed commands are left in the store to be read back later. */
    private volatile boolean inStore;

    /**
     * @param waitingInMemory prepared commands waiting now, for an execution slot or an approval
     * @param prepare         prepares a command read back from the store (on the preparer thread)
     */
    Backlog(NodeStore store, int limit, IntSupplier waitingInMemory, Executor preparer, Consumer<QueuedCommand> prepare) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        this.store = store;
        this.limit = limit;
        this.page = Math.max(1, limit / 4);
        this.waitingInMemory = waitingInMemory;
        this.preparer = preparer;
        this.prepare = prepare;
    }

    /**
     * A command just claimed, in claim order: true when the caller prepares it now; false when it
     * stays in the store for later, or a page read from the store has taken it already.
     */
    boolean admit(long seq) {
        if (seq <= preparedUpTo) {
            return false;
        }
        if (!inStore && waitingInMemory.getAsInt() >= limit) {
            inStore = true;
            LOG.info("{} commands wait in memory for a slot; later ones wait in the store and are read back in order",
                    limit);
        }
        if (inStore) {
            return false;
        }
        preparedUpTo = seq;
        return true;
    }

    /** True while claimed commands wait in the store to be read back (any thread). */
    boolean holdsCommands() {
        return inStore;
    }

    /** Any thread, after a waiting command left the queue in memory: reads the store when due. */
    void drained() {
        if (inStore && waitingInMemory.getAsInt() <= limit - page && readScheduled.compareAndSet(false, true)) {
            preparer.execute(this::readBack);
        }
    }

    /** At start: the DELIVERED commands the last run left behind, however many, are read back in pages. */
    void resumeFromStore() {
        inStore = true;
        readScheduled.set(true);
        preparer.execute(this::readBack);
    }

    private void readBack() {
        readScheduled.set(false);
        try {
            while (inStore && waitingInMemory.getAsInt() <= limit - page) {
                List<QueuedCommand> next = store.deliveredAfter(preparedUpTo, page);
                for (QueuedCommand q : next) {
                    preparedUpTo = q.seq();
                    prepare.accept(q);
                }
                if (next.size() < page) {
                    inStore = false;
                    LOG.info("the commands waiting in the store are all read back");
                }
            }
        } catch (StoreException e) {
            LOG.error("could not read waiting commands from the store ({}); trying again in a second", e.toString());
            readScheduled.set(true);
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS, preparer).execute(this::readBack);
        }
    }
}
