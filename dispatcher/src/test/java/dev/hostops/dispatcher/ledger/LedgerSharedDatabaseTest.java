package dev.hostops.dispatcher.ledger;

import static dev.hostops.dispatcher.ledger.Fixtures.exec;
import static dev.hostops.dispatcher.ledger.Fixtures.newId;
import static dev.hostops.dispatcher.ledger.Fixtures.state;
import static dev.hostops.dispatcher.ledger.Fixtures.succeeded;
import static dev.hostops.dispatcher.ledger.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two ledgers on one database (two dispatchers sharing PostgreSQL, or two writers on one SQLite
 * file) receive the events of the same commands, shuffled and duplicated, at the same time: every
 * command still ends with one complete row.
 */
class LedgerSharedDatabaseTest extends LedgerTestBase {

    @ParameterizedTest
    @MethodSource("databases")
    void twoLedgersOnOneDatabaseCorrelateTheSameCommands(TestDatabases.Kind db) {
        LedgerConfig config = fresh(db);
        Ledger a = open(config);
        Ledger b = open(config);
        List<String> ids = new ArrayList<>();
        List<Function<Ledger, CompletableFuture<?>>> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = newId();
            String node = "node-" + (i % 7);
            ids.add(id);
            for (int copy = 0; copy < 2; copy++) {
                events.add(l -> l.recordCommandAsync(exec(id, node), "broker", "shared", t(0)));
                events.add(l -> l.applyStateAsync(state(id, node, CommandStatus.DELIVERED, 1)));
                events.add(l -> l.applyStateAsync(state(id, node, CommandStatus.RUNNING, 2)));
                events.add(l -> l.applyResultAsync(succeeded(id, node, 2, 5)));
            }
        }
        Collections.shuffle(events, new Random(3));

        Random pick = new Random(5);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (var event : events) {
            all.add(event.apply(pick.nextBoolean() ? a : b));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();

        RequestView request = a.request("shared");
        assertThat(request.total()).isEqualTo(ids.size());
        assertThat(request.counts()).containsOnlyKeys(CommandStatus.SUCCEEDED);
        for (CommandView c : request.invocations()) {
            assertThat(c.execKnown()).isTrue();
            assertThat(c.times()).isEqualTo(new StateTimes(t(0), t(1), null, t(2), t(2), t(5)));
        }
        assertThat(a.anomalies(10)).isEmpty();
    }
}
