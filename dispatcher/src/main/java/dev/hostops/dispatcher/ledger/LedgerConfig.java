package dev.hostops.dispatcher.ledger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open a {@link Ledger}.
 *
 * @param jdbcUrl       {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://host:port/db}
 * @param user          database user (PostgreSQL), or null
 * @param password      database password, or null
 * @param maxBatch      at most this many events are committed in one transaction
 * @param queueCapacity events waiting for the writer; a full queue blocks the caller (back-pressure)
 * @param expiryGrace   {@link Ledger#expireDue} expires a QUEUED command only this long after its
 *                      expiresAt, so a node whose clock is a little behind is not contradicted
 * @param readPoolSize  connections for reads (the writer has its own)
 * @param meterRegistry where the ledger's metrics go
 * @param durability    what a committed write survives; {@link Durability#POWER_LOSS} by default
 */
public record LedgerConfig(
        String jdbcUrl,
        String user,
        String password,
        int maxBatch,
        int queueCapacity,
        Duration expiryGrace,
        int readPoolSize,
        MeterRegistry meterRegistry,
        Durability durability) {

    /**
     * What a committed write survives. Every write is acknowledged only after its commit either way;
     * this says how far the commit itself goes.
     */
    public enum Durability {
        /**
         * A power loss or an operating system crash: every transaction is flushed to disk before
         * it counts as committed (SQLite {@code synchronous=FULL}; PostgreSQL {@code synchronous_commit=on}).
         */
        POWER_LOSS,
        /**
         * A killed dispatcher, not a power loss: a commit reaches the operating system (SQLite
         * {@code synchronous=NORMAL} in WAL mode) or the PostgreSQL server ({@code synchronous_commit=off})
         * without waiting for the disk. Several times faster for callers that write one event at a time;
         * a power loss may lose the last moment of commits, never consistency.
         */
        PROCESS_CRASH
    }

    public static final String DEFAULT_FILE_NAME = "ledger.db";
    public static final int DEFAULT_MAX_BATCH = 2_000;
    public static final int DEFAULT_QUEUE_CAPACITY = 100_000;
    public static final Duration DEFAULT_EXPIRY_GRACE = Duration.ofSeconds(30);
    public static final int DEFAULT_READ_POOL_SIZE = 4;

    public LedgerConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null");
        if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:sqlite: or jdbc:postgresql://, not '" + jdbcUrl + "'");
        }
        if (jdbcUrl.startsWith("jdbc:sqlite::memory:") || jdbcUrl.contains("mode=memory")) {
            // Every pooled connection would see its own empty database.
            throw new IllegalArgumentException("an in-memory SQLite ledger is not supported; give a file (jdbc:sqlite:<path>)");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        if (queueCapacity < maxBatch) {
            throw new IllegalArgumentException("queueCapacity must be at least maxBatch (" + maxBatch + ")");
        }
        Objects.requireNonNull(expiryGrace, "expiryGrace must not be null");
        if (expiryGrace.isNegative()) {
            throw new IllegalArgumentException("expiryGrace must not be negative");
        }
        if (readPoolSize < 1) {
            throw new IllegalArgumentException("readPoolSize must be at least 1");
        }
        Objects.requireNonNull(meterRegistry, "meterRegistry must not be null");
        Objects.requireNonNull(durability, "durability must not be null");
    }

    /** The default: a SQLite file {@value #DEFAULT_FILE_NAME} in the data directory. */
    public static LedgerConfig sqlite(Path dataDir) {
        return of("jdbc:sqlite:" + dataDir.resolve(DEFAULT_FILE_NAME).toAbsolutePath());
    }

    /** Defaults for everything but the URL. */
    public static LedgerConfig of(String jdbcUrl) {
        return new LedgerConfig(jdbcUrl, null, null, DEFAULT_MAX_BATCH, DEFAULT_QUEUE_CAPACITY, DEFAULT_EXPIRY_GRACE,
                DEFAULT_READ_POOL_SIZE, Metrics.globalRegistry, Durability.POWER_LOSS);
    }

    public boolean isPostgres() {
        return jdbcUrl.startsWith("jdbc:postgresql://");
    }

    public LedgerConfig withCredentials(String u, String p) {
        return new LedgerConfig(jdbcUrl, u, p, maxBatch, queueCapacity, expiryGrace, readPoolSize, meterRegistry, durability);
    }

    public LedgerConfig withExpiryGrace(Duration g) {
        return new LedgerConfig(jdbcUrl, user, password, maxBatch, queueCapacity, g, readPoolSize, meterRegistry, durability);
    }

    public LedgerConfig withMeterRegistry(MeterRegistry r) {
        return new LedgerConfig(jdbcUrl, user, password, maxBatch, queueCapacity, expiryGrace, readPoolSize, r, durability);
    }

    public LedgerConfig withDurability(Durability d) {
        return new LedgerConfig(jdbcUrl, user, password, maxBatch, queueCapacity, expiryGrace, readPoolSize, meterRegistry, d);
    }

    public LedgerConfig withBatching(int batch, int capacity) {
        return new LedgerConfig(jdbcUrl, user, password, batch, capacity, expiryGrace, readPoolSize, meterRegistry, durability);
    }
}
