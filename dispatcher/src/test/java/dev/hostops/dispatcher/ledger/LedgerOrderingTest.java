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
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Events in any order and any number of times give the same final row, on both databases. */
class LedgerOrderingTest extends LedgerTestBase {
    private static final String NODE = "node-a";

    /** The events of one command: exec at 0, DELIVERED at 1, RUNNING at 2, result 2..5. */
    private static List<Consumer<Ledger>> events(String id) {
        return List.of(
                l -> l.recordCommand(exec(id, NODE), "broker", "req-1", t(0)),
                l -> l.applyState(state(id, NODE, CommandStatus.DELIVERED, 1)),
                l -> l.applyState(state(id, NODE, CommandStatus.RUNNING, 2)),
                l -> l.applyResult(succeeded(id, NODE, 2, 5)));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void resultFirstThenStateThenExecCompletesTheSameRowAsInOrder(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String inOrder = newId();
        events(inOrder).forEach(e -> e.accept(ledger));

        String reversed = newId();
        List<Consumer<Ledger>> backwards = new ArrayList<>(events(reversed));
        Collections.reverse(backwards);
        backwards.get(0).accept(ledger); // the result alone: stored, row created from it
        CommandView fromResult = ledger.command(reversed).orElseThrow();
        assertThat(fromResult.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(fromResult.execKnown()).isFalse();
        backwards.subList(1, backwards.size()).forEach(e -> e.accept(ledger));

        assertSameRow(ledger.command(reversed).orElseThrow(), ledger.command(inOrder).orElseThrow());
        assertThat(ledger.command(reversed).orElseThrow().execKnown()).isTrue();
        assertThat(ledger.anomalies(10)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void shuffledAndDuplicatedEventsGiveTheSameFinalRow(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String reference = newId();
        events(reference).forEach(e -> e.accept(ledger));
        CommandView expected = ledger.command(reference).orElseThrow();

        Random random = new Random(42);
        for (int round = 0; round < 8; round++) {
            String id = newId();
            List<Consumer<Ledger>> shuffled = new ArrayList<>(events(id));
            shuffled.addAll(events(id)); // every event twice
            Collections.shuffle(shuffled, random);
            shuffled.forEach(e -> e.accept(ledger));
            assertSameRow(ledger.command(id).orElseThrow(), expected);
        }
        assertThat(ledger.anomalies(10)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void eventsQueuedTogetherInOneBatchCorrelateLikeEventsCommittedOneByOne(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String reference = newId();
        events(reference).forEach(e -> e.accept(ledger));

        // Async: all of these are likely committed in one transaction, result before exec.
        String id = newId();
        List<CompletableFuture<?>> futures = List.of(
                ledger.applyResultAsync(succeeded(id, NODE, 2, 5)),
                ledger.applyStateAsync(state(id, NODE, CommandStatus.RUNNING, 2)),
                ledger.applyResultAsync(succeeded(id, NODE, 2, 5)),
                ledger.recordCommandAsync(exec(id, NODE), "broker", "req-1", t(0)),
                ledger.applyStateAsync(state(id, NODE, CommandStatus.DELIVERED, 1)));
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

        assertThat(futures.get(2).join()).isEqualTo(new Applied(Applied.Outcome.DUPLICATE, id, CommandStatus.SUCCEEDED));
        assertSameRow(ledger.command(id).orElseThrow(), ledger.command(reference).orElseThrow());
    }

    private static void assertSameRow(CommandView actual, CommandView expected) {
        assertThat(actual).usingRecursiveComparison()
                .ignoringFields("id", "resultJson")
                .isEqualTo(expected);
        assertThat(actual.resultJson()).isEqualTo(expected.resultJson().replace(expected.id(), actual.id()));
    }
}
