package dev.hostops.dispatcher.ledger;

import static dev.hostops.dispatcher.ledger.Fixtures.exec;
import static dev.hostops.dispatcher.ledger.Fixtures.newId;
import static dev.hostops.dispatcher.ledger.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away under a running ledger and comes back: writes fail with UNAVAILABLE
 * (nothing stored) while it is away, and work again afterwards without reopening the ledger.
 * Only this run's own database is taken away (connections refused, sessions terminated).
 */
class LedgerOutageTest extends LedgerTestBase {

    @Test
    void writesFailUnavailableWhileTheDatabaseIsAwayAndResumeAfter() throws SQLException {
        Ledger ledger = open(TestDatabases.Kind.POSTGRES);
        String before = newId();
        ledger.recordCommand(exec(before, "node-a"), "api:tier2", null, t(0));
        String db = TestDatabases.runDatabase();

        String during = newId();
        try {
            TestDatabases.adminExecute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS false",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'");

            assertThatThrownBy(() -> ledger.recordCommand(exec(during, "node-a"), "api:tier2", null, t(1)))
                    .isInstanceOfSatisfying(LedgerException.class,
                            e -> assertThat(e.reason()).isEqualTo(LedgerException.Reason.UNAVAILABLE));
            assertThatThrownBy(ledger::ping).isInstanceOf(LedgerException.class);
        } finally {
            TestDatabases.adminExecute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS true");
        }

        ledger.ping();
        assertThat(ledger.command(during)).as("a write that failed stored nothing").isEmpty();
        assertThat(ledger.recordCommand(exec(during, "node-a"), "api:tier2", null, t(1)).kind())
                .isEqualTo(SubmitOutcome.Kind.CREATED);
        assertThat(ledger.command(before)).isPresent();
    }

    @Test
    void aKilledDatabaseSessionIsReplacedWithoutLosingAWrite() throws SQLException {
        Ledger ledger = open(TestDatabases.Kind.POSTGRES);
        ledger.recordCommand(exec(newId(), "node-a"), "api:tier2", null, t(0));
        String db = TestDatabases.runDatabase();

        TestDatabases.adminExecute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'");

        String after = newId();
        assertThat(ledger.recordCommand(exec(after, "node-a"), "api:tier2", null, t(1)).kind())
                .isEqualTo(SubmitOutcome.Kind.CREATED);
        assertThat(ledger.command(after)).isPresent();
    }
}
