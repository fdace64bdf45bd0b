package dev.hostops.node.store.internal;

import dev.hostops.node.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * The node store's schema, as numbered migrations kept in code (a local file with three tables does
 * not need Flyway). Version n is {@code MIGRATIONS.get(n - 1)}; a migration is never edited once
 * released, only a new one appended. Each applied version is a row in {@code schema_version}.
 */
final class Schema {

    static final List<List<String>> MIGRATIONS = List.of(
            // 1: commands seen (the dedupe record) and the outbox.
            List.of("""
                    CREATE TABLE command (
                        command_id      TEXT PRIMARY KEY NOT NULL,
                        status          TEXT NOT NULL,
                        exec_json       BLOB NOT NULL,
                        received_at     TEXT NOT NULL,   -- Timestamps format
                        started_at      TEXT,
                        pid             INTEGER,
                        result_json     BLOB,            -- present exactly when status is terminal
                        finished_at_ms  INTEGER,         -- store clock when it became terminal; for prune
                        CHECK ((result_json IS NULL) = (finished_at_ms IS NULL))
                    ) STRICT""",
                    "CREATE INDEX command_unfinished ON command (received_at) WHERE result_json IS NULL",
                    "CREATE INDEX command_finished ON command (finished_at_ms) WHERE result_json IS NOT NULL",
                    """
                    CREATE TABLE outbox (
                        seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: never reused
                        topic        TEXT NOT NULL,
                        payload      BLOB NOT NULL,
                        retain       INTEGER NOT NULL,
                        enqueued_at  TEXT NOT NULL
                    ) STRICT"""));

    private Schema() {}

    static int latestVersion() {
        return MIGRATIONS.size();
    }

    /**
     * Brings the schema to the latest version. Runs inside the caller's write transaction (BEGIN
     * IMMEDIATE), so two processes opening a new store at once do not both migrate.
     */
    static void migrate(Connection c, String file) throws SQLException, StoreException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL)");
        }
        int current = currentVersion(c);
        if (current > latestVersion()) {
            throw new StoreException(StoreException.Code.SCHEMA_TOO_NEW, "the node store " + file + " has schema version "
                    + current + " but this agent knows only up to " + latestVersion() + "; run a newer agent or move the file away");
        }
        for (int v = current + 1; v <= latestVersion(); v++) {
            try (Statement s = c.createStatement()) {
                for (String sql : MIGRATIONS.get(v - 1)) {
                    s.execute(sql);
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")) {
                p.setInt(1, v);
                p.setString(2, Timestamps.format(Instant.now()));
                p.executeUpdate();
            }
        }
    }

    static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
