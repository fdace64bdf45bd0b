package dev.hostops.dispatcher.ledger;

import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The two databases every ledger test runs on. SQLite: a file in the test's temp directory.
 * PostgreSQL on 127.0.0.1:5432 (user postgres, trust): one database per test run, named uniquely,
 * with a fresh schema per test; {@link #dropRunDatabase()} drops it. When PostgreSQL is not
 * reachable its cases are skipped with a message, or fail when {@code HOSTOPS_REQUIRE_DB=1}.
 */
public final class TestDatabases {
    static final String PG_HOST = "127.0.0.1:5432";
    static final String PG_USER = "postgres";

    /** The databases a ledger test is run on. */
    public enum Kind { SQLITE, POSTGRES }

    private static String runDatabase;

    private TestDatabases() {}

    public static Stream<Kind> both() {
        return Stream.of(Kind.SQLITE, Kind.POSTGRES);
    }

    /** A config for a new, empty ledger of this kind. */
    public static LedgerConfig fresh(Kind kind, Path tempDir, MeterRegistry registry) {
        String url = switch (kind) {
            case SQLITE -> "jdbc:sqlite:" + tempDir.resolve("ledger-" + UUID.randomUUID() + ".db");
            case POSTGRES -> postgresSchemaUrl();
        };
        LedgerConfig config = LedgerConfig.of(url).withMeterRegistry(registry);
        return kind == Kind.POSTGRES ? config.withCredentials(PG_USER, null) : config;
    }

    private static synchronized String postgresSchemaUrl() {
        try {
            if (runDatabase == null) {
                String name = "hostops_ledger_test_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/postgres", PG_USER, null);
                     Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE " + name);
                }
                runDatabase = name;
            }
            String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
            String base = "jdbc:postgresql://" + PG_HOST + "/" + runDatabase;
            try (Connection c = DriverManager.getConnection(base, PG_USER, null); Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
            }
            return base + "?currentSchema=" + schema;
        } catch (SQLException e) {
            String message = "PostgreSQL is not reachable on " + PG_HOST + " as " + PG_USER + " (" + e.getMessage()
                    + "); set HOSTOPS_REQUIRE_DB=1 to make this a failure";
            if ("1".equals(System.getenv("HOSTOPS_REQUIRE_DB"))) {
                fail(message, e);
            }
            Assumptions.abort(message);
            throw new AssertionError("unreachable");
        }
    }

    /** Runs statements on PostgreSQL's maintenance database, e.g. to take this run's database away. */
    static void adminExecute(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/postgres", PG_USER, null);
             Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** The name of this run's PostgreSQL database, or null before the first PostgreSQL ledger. */
    static synchronized String runDatabase() {
        return runDatabase;
    }

    /** Drops this run's PostgreSQL database (call from {@code @AfterAll}). */
    public static synchronized void dropRunDatabase() throws SQLException {
        if (runDatabase == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/postgres", PG_USER, null);
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + runDatabase + " WITH (FORCE)");
        }
        runDatabase = null;
    }
}
