package dev.hostops.dispatcher.ledger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Opens ledgers on either database for a test and closes them after it. */
abstract class LedgerTestBase {
    @TempDir
    Path tempDir;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Ledger> opened = new ArrayList<>();

    static java.util.stream.Stream<TestDatabases.Kind> databases() {
        return TestDatabases.both();
    }

    LedgerConfig fresh(TestDatabases.Kind kind) {
        return TestDatabases.fresh(kind, tempDir, registry);
    }

    Ledger open(LedgerConfig config) {
        Ledger ledger = Ledger.open(config);
        opened.add(ledger);
        return ledger;
    }

    Ledger open(TestDatabases.Kind kind) {
        return open(fresh(kind));
    }

    @AfterEach
    void closeLedgers() {
        opened.forEach(Ledger::close);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        TestDatabases.dropRunDatabase();
    }
}
