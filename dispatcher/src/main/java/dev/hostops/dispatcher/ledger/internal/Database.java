package dev.hostops.dispatcher.ledger.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hostops.dispatcher.ledger.LedgerConfig;
import dev.hostops.dispatcher.ledger.LedgerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;

/**
 * Connection pools and migrations. The writer has a pool of one connection (Hikari replaces it
 * when the database restarts); reads have their own pool so they never wait behind a batch.
 *
 * <p>SQLite runs in WAL mode (readers do not block the writer) with {@code synchronous=FULL}
 * (a committed transaction survives a power loss; batching makes the fsync per commit cheap) or
 * NORMAL (see {@link LedgerConfig.Durability}),
 * and write transactions start IMMEDIATE so they never fail half-way on a lock upgrade.
 * Two ledgers on one SQLite file are safe (their writers take turns, waiting up to busy_timeout)
 * but do not scale; several dispatchers should share PostgreSQL.
 */
final class Database implements AutoCloseable {
    static final long CONNECTION_TIMEOUT_MS = 5_000;
    final HikariDataSource writer;
    final HikariDataSource readers;
    final Dialect dialect;

    private Database(HikariDataSource writer, HikariDataSource readers, Dialect dialect) {
        this.writer = writer;
        this.readers = readers;
        this.dialect = dialect;
    }

    static Database open(LedgerConfig config) {
        Dialect dialect = Dialect.of(config.jdbcUrl());
        if (dialect == Dialect.SQLITE) {
            createParentDirectory(config.jdbcUrl());
        }
        HikariDataSource readers = null;
        try {
            // Migrate through the read pool: Flyway may want more than the writer's one connection.
            readers = new HikariDataSource(hikari(config, dialect, "hostops-ledger-read", Math.max(2, config.readPoolSize())));
            Flyway.configure()
                    .dataSource(readers)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            HikariDataSource writer = new HikariDataSource(hikari(config, dialect, "hostops-ledger-write", 1));
            return new Database(writer, readers, dialect);
        } catch (RuntimeException e) {
            if (readers != null) {
                readers.close();
            }
            throw new LedgerException(LedgerException.Reason.UNAVAILABLE,
                    "cannot open the ledger at " + config.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    private static HikariConfig hikari(LedgerConfig config, Dialect dialect, String name, int size) {
        HikariConfig h = new HikariConfig();
        h.setPoolName(name);
        h.setJdbcUrl(config.jdbcUrl());
        h.setUsername(config.user());
        h.setPassword(config.password());
        h.setMaximumPoolSize(size);
        h.setMinimumIdle(1);
        // A caller (an API request, a broker ack) should hear "unavailable" in seconds, not 30.
        h.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        // Fail fast at open when the database is not there, instead of hiding it until the first write.
        h.setInitializationFailTimeout(10_000);
        if (dialect == Dialect.SQLITE) {
            h.addDataSourceProperty("journal_mode", "WAL");
            h.addDataSourceProperty("synchronous",
                    config.durability() == LedgerConfig.Durability.POWER_LOSS ? "FULL" : "NORMAL");
            h.addDataSourceProperty("busy_timeout", "10000");
            h.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            // The ledger never asks for generated keys; with them on, the driver runs a regular
            // expression over every statement it executes.
            h.addDataSourceProperty("jdbc.get_generated_keys", "false");
        } else {
            // Turns a JDBC batch of inserts into multi-row inserts: a few round trips per batch.
            h.addDataSourceProperty("reWriteBatchedInserts", "true");
            if (config.durability() == LedgerConfig.Durability.PROCESS_CRASH) {
                h.setConnectionInitSql("SET synchronous_commit = off");
            }
        }
        return h;
    }

    private static void createParentDirectory(String jdbcUrl) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new LedgerException(LedgerException.Reason.UNAVAILABLE,
                    "cannot create the ledger's directory " + parent + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        readers.close();
        writer.close();
    }
}
