package dev.hostops.node.store.internal;

import dev.hostops.node.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite connection to the node store file, shared by the agent's threads behind a lock.
 *
 * <p>Why one connection: SQLite admits one writer at a time anyway, every operation here is a few
 * row reads or writes, and one connection makes the store's view the same for every thread.
 *
 * <p>Transactions are explicit {@code BEGIN IMMEDIATE ... COMMIT}: the write lock is taken at the
 * start, so a read-then-write (claim, state transitions) is atomic against other processes too, and
 * a second process waits up to the busy timeout instead of failing with a stale snapshot. Reads
 * that are a single statement run without a transaction (a statement is its own snapshot).
 *
 * <p>Writes are group-committed (see {@link #inTransaction}): with {@code synchronous=FULL} an
 * fsync costs milliseconds, and sharing it among the writes that queued up meanwhile is what lets
 * a durable store keep up with many commands per second. A caller that must not wait (the node's
 * intake, which would otherwise take one message per fsync) hands its write to
 * {@link #inTransactionAsync}: the store's committer thread runs it in the next group.
 */
public final class SqliteDatabase implements AutoCloseable {
    public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);
    /** At most this many writes share one commit, so a leader does not hold the lock for long. */
    static final int MAX_GROUP = 256;

    /** Work on the connection; may throw the store's own errors (bad transition) or SQL ones. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException, StoreException;
    }

    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<PendingWork<?>> queue = new ConcurrentLinkedQueue<>();
    private final Connection connection;
    private final Statement control;
    private final GroupTransaction transaction;
    private final ExecutorService committer;
    /** A committer round is queued and has not started draining yet. */
    private final AtomicBoolean commitScheduled = new AtomicBoolean();
    private boolean fsyncEveryCommit;
    private boolean closed;

    private SqliteDatabase(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.control = connection.createStatement();
        this.transaction = new GroupTransaction(file, connection, control);
        this.committer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hostops-store-commit");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens (creating if needed) the database file, sets WAL and the synchronous level, and
     * migrates the schema.
     *
     * @param fsyncEveryCommit true for {@code synchronous=FULL}: the WAL is fsynced at each commit,
     *                         so a commit survives power loss; false for {@code NORMAL}: a commit
     *                         survives a crash of the process, and the WAL is fsynced at checkpoints
     */
    public static SqliteDatabase open(Path file, boolean fsyncEveryCommit) throws StoreException {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Code.IO_ERROR, "cannot create the node store's data directory "
                    + file.getParent() + ": " + e.getMessage(), e);
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), connectionProperties());
            SqliteDatabase db = new SqliteDatabase(file, c);
            db.configure(fsyncEveryCommit);
            db.inTransaction("migrate the schema", conn -> {
                Schema.migrate(conn, file.toString());
                return null;
            });
            return db;
        } catch (SQLException e) {
            closeQuietly(c);
            throw SqlErrors.translate(e, file, "open the node store");
        } catch (StoreException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * The driver's own settings. Generated keys off: the store reads keys with RETURNING, and with
     * the setting on the driver runs a regular expression over every statement it executes (a
     * third of the store's allocation under load, JFR).
     */
    static Properties connectionProperties() {
        Properties p = new Properties();
        p.setProperty(SQLiteConfig.Pragma.JDBC_GET_GENERATED_KEYS.getPragmaName(), "false");
        return p;
    }

    private void configure(boolean fsyncEveryCommit) throws SQLException, StoreException {
        // The busy timeout first: setting WAL on a file another process is creating may wait.
        control.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT.toMillis());
        try (ResultSet rs = control.executeQuery("PRAGMA journal_mode = WAL")) {
            String mode = rs.next() ? rs.getString(1) : "?";
            if (!"wal".equalsIgnoreCase(mode)) {
                // WAL needs shared memory, which network file systems do not give; without it our
                // durability reasoning does not hold, so refuse rather than run differently.
                throw new StoreException(StoreException.Code.IO_ERROR, "the node store " + file
                        + " cannot use write-ahead logging (journal mode is " + mode
                        + "); put the data directory on a local disk");
            }
        }
        control.execute("PRAGMA synchronous = " + (fsyncEveryCommit ? "FULL" : "NORMAL"));
        this.fsyncEveryCommit = fsyncEveryCommit;
        control.execute("PRAGMA foreign_keys = ON");
    }

    /**
     * Runs the work in a write transaction: all of it is committed, or none. Returns only once the
     * commit is done (durable to the configured level).
     *
     * <p>Group commit: writes from threads that arrive while another write is being committed wait
     * for the lock, and the first of them to get it (the leader) runs all waiting writes as one
     * {@link GroupTransaction}: one commit, one fsync, for many callers. The others find their
     * outcome set when they get the lock and return at once. No extra thread is involved.
     */
    public <T> T inTransaction(String doing, Work<T> work) throws StoreException {
        return submit(new PendingWork<>(doing, work, true));
    }

    /**
     * Like {@link #inTransaction}, for a write whose loss in a power cut is harmless (a pid kept
     * only for a report, an outbox entry already acknowledged by the broker, which at worst is
     * published once more). With {@code synchronous=FULL}, a group of only such writes commits
     * without an fsync; the next durable commit's fsync covers it too, since the log is appended.
     * It still survives a crash of the process.
     */
    public <T> T inLazyTransaction(String doing, Work<T> work) throws StoreException {
        return submit(new PendingWork<>(doing, work, false));
    }

    /**
     * Like {@link #inTransaction}, without waiting: the write joins the next group commit, run by
     * the store's committer thread (or by a caller of {@link #inTransaction} that leads a group
     * first), and the stage completes once it is durable. Writes are committed in the order of
     * these calls. The stage completes on a thread that holds no lock of the store.
     */
    public <T> CompletableFuture<T> inTransactionAsync(String doing, Work<T> work) {
        return enqueue(PendingWork.asynchronous(doing, work, true));
    }

    /** {@link #inTransactionAsync} for a write whose loss in a power cut is harmless (see {@link #inLazyTransaction}). */
    public <T> CompletableFuture<T> inLazyTransactionAsync(String doing, Work<T> work) {
        return enqueue(PendingWork.asynchronous(doing, work, false));
    }

    private <T> CompletableFuture<T> enqueue(PendingWork<T> mine) {
        queue.add(mine);
        // One round pending is enough: it drains whatever is queued when it runs. A burst of
        // writes schedules one round, not one each.
        if (commitScheduled.compareAndSet(false, true)) {
            try {
                committer.execute(this::commitQueued);
            } catch (RejectedExecutionException e) {
                commitScheduled.set(false);
                // Closed: no committer will come. Give the write its outcome unless a leader already did.
                if (queue.remove(mine)) {
                    mine.fail(closedError());
                    mine.publish();
                }
            }
        }
        return mine.future();
    }

    /** The committer's round: every queued write, in groups; nothing to do if a leader took them. */
    private void commitQueued() {
        // Cleared before draining: a write queued from here on schedules the next round.
        commitScheduled.set(false);
        List<PendingWork<?>> ran = new ArrayList<>();
        lock.lock();
        try {
            for (List<PendingWork<?>> group = drain(); !group.isEmpty(); group = drain()) {
                ran.addAll(group);
                runGroupQuietly(group);
            }
        } finally {
            lock.unlock();
        }
        ran.forEach(PendingWork::publish);
    }

    private <T> T submit(PendingWork<T> mine) throws StoreException {
        queue.add(mine);
        List<PendingWork<?>> ran = new ArrayList<>();
        // lock(), not lockInterruptibly(): a caller must learn whether its write committed.
        lock.lock();
        try {
            while (!mine.isDone()) {
                List<PendingWork<?>> group = drain();
                ran.addAll(group);
                runGroup(group);
            }
        } finally {
            lock.unlock();
            // Asynchronous writes this leader committed learn their outcome outside the lock.
            ran.forEach(PendingWork::publish);
        }
        return mine.outcome();
    }

    /** Gives every write of the group an outcome; throws only after failing them all. */
    private void runGroup(List<PendingWork<?>> group) throws StoreException {
        if (closed) {
            group.forEach(p -> p.fail(closedError()));
        } else if (fsyncEveryCommit && group.stream().noneMatch(p -> p.mustSync)) {
            runWithoutFsync(group);
        } else {
            transaction.run(group);
        }
    }

    private void runGroupQuietly(List<PendingWork<?>> group) {
        try {
            runGroup(group);
        } catch (StoreException e) {
            // Every write of the group has this failure as its outcome; nothing else to do here.
        }
    }

    private void runWithoutFsync(List<PendingWork<?>> group) throws StoreException {
        setSynchronous("NORMAL", group);
        try {
            transaction.run(group);
        } finally {
            setSynchronous("FULL", group);
        }
    }

    private void setSynchronous(String level, List<PendingWork<?>> group) throws StoreException {
        try {
            control.execute("PRAGMA synchronous = " + level);
        } catch (SQLException e) {
            StoreException failure = SqlErrors.translate(e, file, "set synchronous=" + level);
            group.forEach(p -> p.fail(failure));
            throw failure;
        }
    }

    private List<PendingWork<?>> drain() {
        List<PendingWork<?>> group = new ArrayList<>();
        PendingWork<?> next;
        while (group.size() < MAX_GROUP && (next = queue.poll()) != null) {
            group.add(next);
        }
        return group;
    }

    /** Runs read-only work outside a transaction; one statement sees one consistent snapshot. */
    public <T> T read(String doing, Work<T> work) throws StoreException {
        lock.lock();
        try {
            ensureOpen();
            return work.run(connection);
        } catch (SQLException e) {
            throw SqlErrors.translate(e, file, doing);
        } finally {
            lock.unlock();
        }
    }

    /** Transactions committed so far; for tests that check writes shared a commit. */
    long commits() {
        return transaction.commits();
    }

    /** Writes waiting for a leader; for tests that build a group on purpose. */
    int queuedWrites() {
        return queue.size();
    }

    public Path file() {
        return file;
    }

    /** Idempotent; waits for the operation in progress on another thread to finish first. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                closeQuietly(connection);
            }
        } finally {
            lock.unlock();
        }
        // Writes queued after this point are failed by the committer's last rounds (closed is set).
        committer.shutdown();
    }

    private void ensureOpen() throws StoreException {
        if (closed) {
            throw closedError();
        }
    }

    private StoreException closedError() {
        return new StoreException(StoreException.Code.CLOSED, "the node store " + file + " is closed");
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Nothing to do: closing is best effort, and SQLite recovers from the WAL on open.
            }
        }
    }
}
