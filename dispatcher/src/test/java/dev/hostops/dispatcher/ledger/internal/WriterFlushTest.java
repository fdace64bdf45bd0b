package dev.hostops.dispatcher.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.dispatcher.ledger.LedgerConfig;
import dev.hostops.dispatcher.ledger.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which commits wait for the disk, read where it is decided: inside each op's own transaction,
 * from the database's setting for it (SQLite's {@code synchronous}, PostgreSQL's
 * {@code synchronous_commit}). With POWER_LOSS durability a batch of only lazy ops commits
 * without a flush, any batch holding a flushing op flushes, and a lazy batch leaves nothing
 * behind on the pooled connection.
 */
class WriterFlushTest {
    @TempDir
    Path tempDir;

    private Database database;
    private Writer writer;

    static java.util.stream.Stream<TestDatabases.Kind> databases() {
        return TestDatabases.both();
    }

    private void open(TestDatabases.Kind kind, LedgerConfig.Durability durability) {
        LedgerConfig config = TestDatabases.fresh(kind, tempDir, new SimpleMeterRegistry()).withDurability(durability);
        database = Database.open(config);
        writer = new Writer(database.writer, database.dialect, durability == LedgerConfig.Durability.POWER_LOSS,
                depth -> new LedgerMetrics(config.meterRegistry(), depth), 100, 1_000);
    }

    @AfterEach
    void close() {
        if (writer != null) {
            writer.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        TestDatabases.dropRunDatabase();
    }

    /** True when the transaction the op runs in will wait for the disk at commit. */
    private static Op.Body<Boolean> flushes() {
        return batch -> {
            boolean sqlite = batch.dialect() == Dialect.SQLITE;
            try (Statement s = batch.connection().createStatement();
                 ResultSet r = s.executeQuery(sqlite ? "PRAGMA synchronous" : "SHOW synchronous_commit")) {
                r.next();
                return sqlite ? r.getInt(1) >= 2 : r.getString(1).equals("on"); // SQLite: 2 FULL, 1 NORMAL
            }
        };
    }

    private boolean lazy() {
        return writer.submit(Op.lazy(null, flushes())).join();
    }

    private boolean flushing() {
        return writer.submit(new Op<>(null, flushes())).join();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aBatchOfLazyOpsAloneCommitsWithoutAFlushAndLeavesNoTrace(TestDatabases.Kind kind) {
        open(kind, LedgerConfig.Durability.POWER_LOSS);

        assertThat(flushing()).isTrue();
        assertThat(lazy()).isFalse();
        assertThat(flushing()).as("the next batch is flushed again").isTrue();
        assertThat(lazy()).isFalse();
        assertThat(lazy()).isFalse();
        assertThat(flushing()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aBatchWithOneFlushingOpFlushesForAll(TestDatabases.Kind kind) throws Exception {
        open(kind, LedgerConfig.Durability.POWER_LOSS);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = writer.submit(new Op<>(null, batch -> {
            holding.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        // Queued while the writer is busy: the next batch holds both.
        CompletableFuture<Boolean> lazy = writer.submit(Op.lazy(null, flushes()));
        CompletableFuture<Boolean> flushing = writer.submit(new Op<>(null, flushes()));
        release.countDown();
        blocker.join();

        assertThat(lazy.join()).as("a lazy op sharing a batch with a flushing one is flushed too").isTrue();
        assertThat(flushing.join()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void withProcessCrashDurabilityNothingWaitsForTheDisk(TestDatabases.Kind kind) {
        open(kind, LedgerConfig.Durability.PROCESS_CRASH);

        assertThat(flushing()).isFalse();
        assertThat(lazy()).isFalse();
    }
}
