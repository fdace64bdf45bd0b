package dev.hostops.dispatcher.ledger;

import static dev.hostops.dispatcher.ledger.Fixtures.exec;
import static dev.hostops.dispatcher.ledger.Fixtures.newId;
import static dev.hostops.dispatcher.ledger.Fixtures.online;
import static dev.hostops.dispatcher.ledger.Fixtures.state;
import static dev.hostops.dispatcher.ledger.Fixtures.succeeded;
import static dev.hostops.dispatcher.ledger.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.contracts.message.LogChunk;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A closed and reopened ledger keeps everything; migrations are versioned and run once. */
class LedgerRestartTest extends LedgerTestBase {

    @ParameterizedTest
    @MethodSource("databases")
    void reopeningKeepsEverythingAndCommandsInFlightStillCorrelate(TestDatabases.Kind db) {
        LedgerConfig config = fresh(db);
        String done = newId();
        String inFlight = newId();
        String anomalous = newId();
        List<CompletableFuture<?>> acks = new ArrayList<>();
        try (Ledger ledger = open(config)) {
            ledger.recordCommand(exec(done, "node-a"), "api:tier2", "r1", t(0));
            ledger.applyResult(succeeded(done, "node-a", 1, 2));
            ledger.recordCommand(exec(inFlight, "node-a"), "broker", "r1", t(0));
            ledger.applyState(state(inFlight, "node-a", CommandStatus.RUNNING, 1));
            ledger.recordCommand(exec(anomalous, "node-a"), "broker", null, t(0));
            ledger.expireDue(t(10_000));
            ledger.applyResult(succeeded(anomalous, "node-a", 1, 2));
            ledger.applyPresence(online("s1", "node-a", 0));
            ledger.applyApprovalRequest(new ApprovalRequest(newId(), "node-a", List.of("ls"), null, null, "ask: always", null, null));
            // Queued but not awaited: close() must commit them before it returns.
            for (long seq = 0; seq < 50; seq++) {
                acks.add(ledger.appendLogAsync(new LogChunk(inFlight, "node-a", seq, LogChunk.Stream.STDOUT, "x", null, false)));
            }
        }
        assertThat(acks).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());

        Ledger reopened = open(config);
        assertThat(reopened.command(done).orElseThrow().status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(reopened.command(inFlight).orElseThrow().status()).isEqualTo(CommandStatus.RUNNING);
        assertThat(reopened.logs(inFlight, 0, 1000)).hasSize(50);
        assertThat(reopened.node("node-a")).isPresent();
        assertThat(reopened.approvals(ApprovalState.PENDING)).hasSize(1);
        assertThat(reopened.anomalies(10)).extracting(Anomaly::commandId).containsExactly(anomalous);
        assertThat(reopened.request("r1").total()).isEqualTo(2);

        assertThat(reopened.applyResult(succeeded(inFlight, "node-a", 1, 30)).outcome()).isEqualTo(Applied.Outcome.APPLIED);
        assertThat(reopened.applyResult(succeeded(done, "node-a", 1, 2)).outcome()).isEqualTo(Applied.Outcome.DUPLICATE);
        assertThat(reopened.recordCommand(exec(done, "node-a"), "api:tier2", "r1", t(0)).kind()).isEqualTo(SubmitOutcome.Kind.EXISTS);
        assertThat(reopened.request("r1").done()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void migrationsRunTwiceAreANoOp(TestDatabases.Kind db) throws SQLException {
        LedgerConfig config = fresh(db);
        String id = newId();
        try (Ledger ledger = open(config)) {
            ledger.recordCommand(exec(id, "node-a"), "broker", null, t(0));
        }
        int appliedAfterFirst = appliedMigrations(config);
        try (Ledger ledger = open(config)) {
            assertThat(ledger.command(id)).isPresent();
        }
        assertThat(appliedMigrations(config)).isEqualTo(appliedAfterFirst).isPositive();
        var result = Flyway.configure().dataSource(config.jdbcUrl(), config.user(), config.password())
                .locations("classpath:db/migration").load().migrate();
        assertThat(result.migrationsExecuted).isZero();
    }

    private static int appliedMigrations(LedgerConfig config) throws SQLException {
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success = "
                     + (config.isPostgres() ? "true" : "1"))) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
