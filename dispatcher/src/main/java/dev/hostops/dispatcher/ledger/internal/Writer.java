package dev.hostops.dispatcher.ledger.internal;

import dev.hostops.dispatcher.ledger.Anomaly;
import dev.hostops.dispatcher.ledger.LedgerException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's single writer: a thread that drains the queue and commits up to {@code maxBatch}
 * ops per transaction, then completes their futures. One writer means no write contention (SQLite
 * allows one writer anyway) and large transactions amortise the commit's fsync.
 *
 * <p>If a batch fails, it is rolled back and tried once more (a row another dispatcher inserted at
 * the same moment is then seen), then each op alone in its own transaction, so one bad event
 * fails only itself. When the database cannot be reached the batch fails at once instead.
 *
 * <p>With {@code POWER_LOSS} durability every commit waits for the disk, except a batch made only
 * of {@linkplain Op#lazy lazy} ops (intermediate states, publication marks): it is committed
 * without a flush (SQLite {@code synchronous=NORMAL} for that transaction, PostgreSQL
 * {@code SET LOCAL synchronous_commit = off}), still safe from a killed dispatcher, and the next
 * flushed commit covers it, since both databases write their log in order. On a disk that
 * serialises flushes (a virtual one), each flush saved is one the node agents' own do not queue
 * behind.
 *
 * <p>Futures complete on the writer thread, after the commit. A dependent stage that blocks there
 * stalls every write; one that waits for another ledger write there would wait forever, so
 * {@link #onWriterThread()} lets {@code Ledger.await} refuse that.
 *
 * <pre>
 * RUNNING ─close()─&gt; DRAINING (commits what is queued, refuses new ops) ─&gt; CLOSED
 * </pre>
 */
final class Writer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

    /** How often an op that failed alone is tried again before its future fails. */
    private static final int SINGLE_ATTEMPTS = 3;

    private final DataSource dataSource;
    private final Dialect dialect;
    private final boolean flushEveryCommit;
    private final LedgerMetrics metrics;
    private final int maxBatch;
    private final BlockingQueue<Op<?>> queue;
    // Read lock: submitting; write lock: closing. So no op slips into the queue after the last drain.
    private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param flushEveryCommit the ledger's durability is {@code POWER_LOSS}: commits wait for the
     *                         disk, but for batches of lazy ops
     */
    Writer(DataSource dataSource, Dialect dialect, boolean flushEveryCommit, LedgerMetrics.Factory metricsFactory,
           int maxBatch, int capacity) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.flushEveryCommit = flushEveryCommit;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.metrics = metricsFactory.create(queue::size);
        this.thread = new WriterThread(this::loop);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The writer's thread, recognisable so that waiting on it for a ledger write can be refused. */
    private static final class WriterThread extends Thread {
        WriterThread(Runnable loop) {
            super(loop, "hostops-ledger-writer");
        }
    }

    /** True on a ledger writer thread, where waiting for a ledger write would never end. */
    static boolean onWriterThread() {
        return Thread.currentThread() instanceof WriterThread;
    }

    /**
     * Queues an op; blocks while the queue is full (on the writer thread itself it fails the op
     * instead). The future fails with CLOSED after {@link #close()}.
     */
    <T> CompletableFuture<T> submit(Op<T> op) {
        closing.readLock().lock();
        try {
            if (closed) {
                op.future.completeExceptionally(closedException());
                return op.future;
            }
            if (onWriterThread()) {
                // A stage of a ledger future queues more work: waiting for room here would stop
                // the only thread that makes room.
                if (!queue.offer(op)) {
                    op.future.completeExceptionally(new LedgerException(LedgerException.Reason.WRITE_FAILED,
                            "the ledger queue is full and this event was queued from the writer thread; it was not stored"));
                }
            } else {
                queue.put(op);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            op.future.completeExceptionally(new LedgerException(LedgerException.Reason.INTERRUPTED,
                    "interrupted while waiting for room in the ledger queue; the event was not queued", e));
        } finally {
            closing.readLock().unlock();
        }
        return op.future;
    }

    private void loop() {
        List<Op<?>> ops = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            try {
                Op<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                ops.add(first);
                queue.drainTo(ops, maxBatch - 1);
                runBatch(ops);
            } catch (InterruptedException e) {
                // Nobody should interrupt the writer; if someone does, keep draining: queued ops
                // belong to callers waiting for them.
                Thread.interrupted();
            } catch (RuntimeException e) {
                // Never let the writer die: fail this batch, keep serving the next one.
                LOG.error("ledger writer failed a batch of {} events", ops.size(), e);
                fail(ops, e);
            } finally {
                ops.clear();
            }
        }
    }

    /**
     * Commits the ops; on failure tries the whole batch once more (a conflict with another
     * dispatcher inserting the same new id resolves itself: the second read sees its row), then
     * each op alone, so that only an op that fails on its own is failed.
     */
    private void runBatch(List<Op<?>> ops) {
        Exception failure = attempt(ops);
        if (failure == null) {
            return;
        }
        if (ops.size() > 1) {
            LOG.warn("ledger batch of {} events failed ({}); retrying", ops.size(), brief(failure));
            failure = attempt(ops);
            if (failure == null) {
                return;
            }
        }
        if (unreachable(failure)) {
            // The database is away: retrying each op alone would only wait for it op by op.
            fail(ops, failure);
            return;
        }
        for (Op<?> op : ops) {
            List<Op<?>> alone = List.of(op);
            Exception last = ops.size() == 1 ? failure : attempt(alone);
            for (int i = 1; i < SINGLE_ATTEMPTS && last != null; i++) {
                last = attempt(alone);
            }
            if (last != null) {
                fail(alone, last);
            }
        }
    }

    /** Commits and completes the ops, or returns why it could not (nothing of them is stored then). */
    private Exception attempt(List<Op<?>> ops) {
        try {
            commit(ops);
        } catch (SQLException | RuntimeException e) {
            return e;
        }
        metrics.committed(ops.size());
        ops.forEach(Op::complete);
        return null;
    }

    private void commit(List<Op<?>> ops) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean flush = flushEveryCommit && ops.stream().anyMatch(op -> op.mustFlush);
            if (flushEveryCommit && dialect == Dialect.SQLITE) {
                // Per connection, outside a transaction; set every time, so a pooled connection
                // never keeps the lazy level of an earlier batch.
                execute(c, flush ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            }
            c.setAutoCommit(false);
            try {
                if (flushEveryCommit && !flush && dialect == Dialect.POSTGRES) {
                    execute(c, "SET LOCAL synchronous_commit = off"); // this transaction only
                }
                Batch batch = new Batch(c, dialect);
                List<String> ids = new ArrayList<>(ops.size());
                for (Op<?> op : ops) {
                    if (op.commandId != null) {
                        ids.add(op.commandId);
                    }
                }
                batch.preload(ids);
                for (Op<?> op : ops) {
                    op.run(batch);
                }
                batch.flush();
                c.commit();
                for (Anomaly a : batch.anomalies()) {
                    metrics.anomaly(a.kind());
                    LOG.warn("ledger anomaly {} for command {} on node {}: status was {}, the event said {}",
                            a.kind(), a.commandId(), a.node(), a.existing(), a.received());
                }
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** True when the failure is about reaching the database, not about these events. */
    static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true; // SQL standard class 08: connection exception
            }
        }
        return false;
    }

    private void fail(List<Op<?>> ops, Throwable cause) {
        Throwable root = cause instanceof Batch.SqlFailure f ? f.getCause() : cause;
        for (Op<?> op : ops) {
            metrics.failed();
            if (root instanceof IllegalArgumentException) {
                op.future.completeExceptionally(root);
            } else if (unreachable(root)) {
                op.future.completeExceptionally(new LedgerException(LedgerException.Reason.UNAVAILABLE,
                        "the ledger's database cannot be reached; the event was not stored: " + brief(root), root));
            } else {
                op.future.completeExceptionally(new LedgerException(LedgerException.Reason.WRITE_FAILED,
                        "the ledger could not commit the event: " + brief(root), root));
            }
        }
    }

    /** The start of an error's message: a failed JDBC batch quotes every row of it. */
    static String brief(Throwable t) {
        String message = String.valueOf(t.getMessage());
        String state = t instanceof SQLException sql && sql.getSQLState() != null ? " [SQLState " + sql.getSQLState() + "]" : "";
        return (message.length() > 200 ? message.substring(0, 200) + "..." : message) + state;
    }

    /** Commits everything already queued, then stops. Idempotent. */
    @Override
    public void close() {
        if (onWriterThread()) {
            throw new IllegalStateException("the ledger cannot be closed from its own writer thread (a stage of a ledger future)");
        }
        closing.writeLock().lock();
        try {
            closed = true;
        } finally {
            closing.writeLock().unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Op<?>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(op -> op.future.completeExceptionally(closedException()));
    }

    private static LedgerException closedException() {
        return new LedgerException(LedgerException.Reason.CLOSED, "the ledger is closed");
    }
}
