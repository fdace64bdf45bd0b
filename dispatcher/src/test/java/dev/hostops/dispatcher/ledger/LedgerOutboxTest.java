package dev.hostops.dispatcher.ledger;

import static dev.hostops.dispatcher.ledger.Fixtures.exec;
import static dev.hostops.dispatcher.ledger.Fixtures.newId;
import static dev.hostops.dispatcher.ledger.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.Exec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ledger as the dispatcher's outbox: which accepted commands still need publishing, across a reopen. */
class LedgerOutboxTest extends LedgerTestBase {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private static Exec due(String id, long secondsFromNow) {
        return exec(id, "node-o").withExpiresAt(NOW.plusSeconds(secondsFromNow));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void onlyAcceptedQueuedUnpublishedUnexpiredCommandsAreOwed(TestDatabases.Kind db) {
        LedgerConfig config = fresh(db);
        String owed = newId();
        String owedToo = newId();
        String published = newId();
        String delivered = newId();
        String expired = newId();
        String observed = newId();
        Exec owedExec = due(owed, 600).withEnv(Map.of("CI", "1"));
        try (Ledger ledger = open(config)) {
            ledger.recordCommand(owedExec, "api:tier2", null, NOW);
            ledger.recordCommand(due(owedToo, 600), "api:tier2", "req-1", NOW.plusMillis(1));
            ledger.recordCommand(due(published, 600), "api:tier2", null, NOW);
            ledger.markPublishedAsync(published, NOW).join();
            ledger.recordCommand(due(delivered, 600), "api:tier2", null, NOW);
            ledger.applyState(state(delivered, "node-o", CommandStatus.DELIVERED, 1));
            ledger.recordCommand(due(expired, -1), "api:tier2", null, NOW);
            ledger.recordCommand(due(observed, 600), "broker", null, NOW); // someone else published it
            ledger.markPublishedAsync("never-seen", NOW).join(); // unknown: nothing happens
        }

        Ledger reopened = open(config);
        List<Exec> owedNow = reopened.unpublished(NOW, 100);
        assertThat(owedNow).extracting(Exec::id).containsExactly(owed, owedToo);
        assertThat(owedNow.get(0)).as("the exec exactly as accepted, fields the views do not show included").isEqualTo(owedExec);
        assertThat(reopened.unpublished(NOW, 1)).extracting(Exec::id).containsExactly(owed);
        assertThat(reopened.command("never-seen")).isEmpty();

        reopened.markPublishedAsync(owed, NOW.plusSeconds(1)).join();
        reopened.markPublishedAsync(owed, NOW.plusSeconds(2)).join(); // the first time counts; no error
        assertThat(reopened.unpublished(NOW, 100)).extracting(Exec::id).containsExactly(owedToo);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anExecThisVersionCannotReadKeepsNoOtherFromTheBroker(TestDatabases.Kind db) throws java.sql.SQLException {
        LedgerConfig config = fresh(db);
        String unreadable = newId();
        String owed = newId();
        try (Ledger ledger = open(config)) {
            ledger.recordCommand(due(unreadable, 600), "api:tier2", null, NOW);
            ledger.recordCommand(due(owed, 600), "api:tier2", null, NOW.plusMillis(1));
        }
        // As a downgraded dispatcher would find a row a newer one wrote, or a row damaged by hand.
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             java.sql.PreparedStatement ps = c.prepareStatement("UPDATE commands SET exec_json = ? WHERE id = ?")) {
            ps.setString(1, "{\"v\":99,\"type\":\"exec\"}");
            ps.setString(2, unreadable);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(open(config).unpublished(NOW, 100)).extracting(Exec::id).containsExactly(owed);
    }
}
