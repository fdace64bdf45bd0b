package dev.hostops.node.store.internal;

import dev.hostops.node.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Runs a group of queued writes as one SQLite transaction, each write in its own savepoint, and
 * commits once, so that one fsync serves them all.
 *
 * <ul>
 *   <li>A write that throws a {@link dev.hostops.node.store.StoreException} or a runtime exception
 *       is rolled back to its savepoint; the others go on.</li>
 *   <li>Outcomes, refusals included, are published only after the commit: a refusal may rest on
 *       an earlier write of the same group, which counts only if it commits.</li>
 *   <li>A database error (disk full, I/O, busy) rolls the whole group back, and each write is then
 *       retried in a transaction of its own, so the error lands on the write that causes it.</li>
 * </ul>
 * The caller holds the connection's lock.
 */
final class GroupTransaction {
    private final Path file;
    private final Connection connection;
    private final Statement control;
    /** Commits done; written under the database lock, read by tests. */
    private volatile long commits;

    GroupTransaction(Path file, Connection connection, Statement control) {
        this.file = file;
        this.connection = connection;
        this.control = control;
    }

    long commits() {
        return commits;
    }

    /** Gives every write of the group an outcome, whatever happens. */
    void run(List<PendingWork<?>> group) {
        try {
            tryGroup(group);
        } finally {
            // Followers wait for an outcome once they hold the lock; whatever went wrong here (an
            // Error, a bug), no write of the group may be left without one.
            for (PendingWork<?> p : group) {
                if (!p.isDone()) {
                    rollbackQuietly();
                    p.fail(new IllegalStateException("the node store failed unexpectedly while trying to " + p.doing));
                }
            }
        }
    }

    private void tryGroup(List<PendingWork<?>> group) {
        if (group.isEmpty()) {
            return;
        }
        try {
            control.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            group.forEach(p -> p.fail(SqlErrors.translate(e, file, p.doing)));
            return;
        }
        SQLException databaseError = null;
        for (PendingWork<?> p : group) {
            try {
                runInSavepoint(p);
            } catch (SQLException e) {
                databaseError = e;
                break;
            }
        }
        if (databaseError == null) {
            try {
                control.execute("COMMIT");
                commits++;
                group.forEach(PendingWork::commitStaged);
                return;
            } catch (SQLException e) {
                databaseError = e;
            }
        }
        rollbackQuietly();
        if (group.size() == 1) {
            PendingWork<?> only = group.get(0);
            only.fail(SqlErrors.translate(databaseError, file, only.doing));
            return;
        }
        // Nothing of the group was committed: give each write its own transaction, so that the
        // error lands on the write that causes it and no outcome rests on a rolled-back write.
        for (PendingWork<?> p : group) {
            tryGroup(List.of(p));
        }
    }

    /** Runs one write; a refused or failing write is undone to its savepoint and failed alone. */
    private <T> void runInSavepoint(PendingWork<T> p) throws SQLException {
        control.execute("SAVEPOINT w");
        try {
            p.stage(p.work.run(connection));
            control.execute("RELEASE w");
        } catch (StoreException | RuntimeException e) {
            control.execute("ROLLBACK TO w");
            control.execute("RELEASE w");
            p.stageFailure(e);
        }
    }

    private void rollbackQuietly() {
        try {
            // After some errors (e.g. SQLITE_FULL) SQLite has already rolled back; ROLLBACK then
            // fails with "no transaction is active", which is fine.
            control.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // The original error is the one to report.
        }
    }
}
