package dev.hostops.node.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hostops.node.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that queue up while another commits are committed together; a write that is refused,
 * throws, or hits a database error fails alone and leaves nothing behind.
 */
class GroupCommitTest {
    private static final int WRITERS = 12;

    @TempDir
    Path dir;

    SqliteDatabase db;
    ExecutorService pool;

    @BeforeEach
    void open() throws StoreException {
        db = SqliteDatabase.open(dir.resolve("test.db"), true);
        db.inTransaction("create a table", c -> exec(c, "CREATE TABLE t (k TEXT PRIMARY KEY)"));
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        db.close();
    }

    @Test
    void aGroupCommitsTheGoodWritesAndFailsEachBadOneAlone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> blocker = holdTheLockUntil(release);

        List<Future<Object>> good = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            String key = "k" + i;
            good.add(pool.submit(() -> db.inTransaction("insert " + key, c -> insert(c, key))));
        }
        Future<Object> refused = pool.submit(() -> db.inTransaction("refuse", c -> {
            insert(c, "refused");
            throw new StoreException(StoreException.Code.ILLEGAL_TRANSITION, "refused on purpose");
        }));
        Future<Object> throwing = pool.submit(() -> db.inTransaction("throw", c -> {
            insert(c, "thrown");
            throw new IllegalStateException("a bug on purpose");
        }));
        Future<Object> broken = pool.submit(() -> db.inTransaction("break", c -> {
            insert(c, "broken");
            return exec(c, "INSERT INTO no_such_table VALUES (1)");
        }));
        await().atMost(Duration.ofSeconds(30)).until(() -> db.queuedWrites() == WRITERS + 3);
        release.countDown();

        blocker.get(30, TimeUnit.SECONDS);
        for (Future<Object> f : good) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(refused).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.code()).isEqualTo(StoreException.Code.ILLEGAL_TRANSITION));
        assertThat(throwing).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(IllegalStateException.class);
        assertThat(broken).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.code()).isEqualTo(StoreException.Code.IO_ERROR);
                    assertThat(e.getMessage()).contains("break");
                });

        List<String> keys = db.read("list keys", GroupCommitTest::keys);
        List<String> expected = new ArrayList<>(List.of("blocker"));
        for (int i = 0; i < WRITERS; i++) {
            expected.add("k" + i);
        }
        assertThat(keys).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void asynchronousWritesQueuedBehindACommitShareOneCommitInCallOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> blocker = holdTheLockUntil(release);

        int writes = 100;
        List<CompletableFuture<Long>> visibleWhenDone = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            String key = "a" + i;
            // What a caller sees when its stage completes must already be committed: another
            // connection (as another process would) finds the row.
            visibleWhenDone.add(db.inTransactionAsync("insert " + key, c -> insert(c, key))
                    .thenApply(ignored -> countFromAnotherConnection(key)));
        }
        CompletableFuture<Object> refused = db.inTransactionAsync("refuse", c -> {
            insert(c, "refused");
            throw new StoreException(StoreException.Code.ILLEGAL_TRANSITION, "refused on purpose");
        });
        assertThat(db.queuedWrites()).isEqualTo(writes + 1);
        long commitsBefore = db.commits();
        release.countDown();

        blocker.get(30, TimeUnit.SECONDS);
        for (CompletableFuture<Long> f : visibleWhenDone) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(1L);
        }
        assertThat(refused).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.code()).isEqualTo(StoreException.Code.ILLEGAL_TRANSITION));
        // The blocker's commit, then one for every queued write.
        assertThat(db.commits() - commitsBefore).isEqualTo(2);
        List<String> expected = new ArrayList<>(List.of("blocker"));
        for (int i = 0; i < writes; i++) {
            expected.add("a" + i);
        }
        assertThat(db.read("list keys", GroupCommitTest::keys)).containsExactlyElementsOf(expected);
    }

    @Test
    void anAsynchronousWriteAfterCloseFailsWithClosed() {
        db.close();

        assertThat(db.inTransactionAsync("late", c -> insert(c, "late"))).failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(StoreException.Code.CLOSED));
    }

    @Test
    void theDriverDoesNotLookForGeneratedKeys() throws Exception {
        Boolean generatedKeys = db.read("read the driver's settings",
                c -> c.unwrap(org.sqlite.SQLiteConnection.class).getConnectionConfig().isGetGeneratedKeys());
        assertThat(generatedKeys).isFalse();
    }

    @Test
    void aWriteAfterCloseFailsWithClosed() {
        db.close();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.inTransaction("late", c -> insert(c, "late")))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(StoreException.Code.CLOSED));
    }

    /**
     * Starts a write ("blocker") that holds the database lock until {@code release}, and returns
     * once it does: every write submitted meanwhile queues up, and they form one group.
     */
    private Future<Object> holdTheLockUntil(CountDownLatch release) throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        Future<Object> blocker = pool.submit(() -> db.inTransaction("block", c -> {
            insert(c, "blocker");
            entered.countDown();
            awaitQuietly(release);
            return null;
        }));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        return blocker;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the blocking write");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Object insert(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
            p.setString(1, key);
            p.executeUpdate();
        }
        return null;
    }

    private static Object exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
        return null;
    }

    private long countFromAnotherConnection(String key) {
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("test.db").toAbsolutePath());
             PreparedStatement p = other.prepareStatement("SELECT count(*) FROM t WHERE k = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** In insertion order. */
    private static List<String> keys(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT k FROM t ORDER BY rowid")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
