package dev.hostops.dispatcher.ledger;

import static dev.hostops.dispatcher.ledger.Fixtures.exec;
import static dev.hostops.dispatcher.ledger.Fixtures.newId;
import static dev.hostops.dispatcher.ledger.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.Presence;
import dev.hostops.dispatcher.deadline.DeadlineSweeper;
import dev.hostops.dispatcher.events.Event;
import dev.hostops.dispatcher.events.EventBus;
import dev.hostops.dispatcher.events.EventKind;
import dev.hostops.dispatcher.metrics.DispatcherMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A node nothing is heard from (an agent killed on a broker without a last will, AMQP) is taken as
 * offline, and its running command ends LOST, instead of RUNNING forever (found by a docs walkthrough).
 */
class LedgerSilentNodesTest extends LedgerTestBase {
    private static final Duration SILENCE = Duration.ofMillis(300);

    private static Presence heartbeat(String session, String node) {
        return new Presence(session, node, Presence.State.ONLINE, "host-" + node, "Linux", "amd64", "0.1.0", "sha256:ab",
                List.of("exec"), null, 4, Instant.now());
    }

    private DeadlineSweeper sweeper(Ledger ledger, EventBus events, Supplier<Instant> listening) {
        return new DeadlineSweeper(ledger, events, new DispatcherMetrics(registry), Duration.ZERO, SILENCE, listening, Clock.systemUTC());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aSilentNodeIsOfflineAndItsRunningCommandLostAHeardOneIsNot(TestDatabases.Kind db) throws Exception {
        Ledger ledger = open(db);
        EventBus events = new EventBus();
        List<Event> seen = new CopyOnWriteArrayList<>();
        events.subscribe(e -> true, seen::add);
        String silentNode = "silent-" + newId().substring(0, 8);
        String heardNode = "heard-" + newId().substring(0, 8);
        ledger.applyPresence(heartbeat("s1", silentNode));
        String running = newId();
        ledger.recordCommand(exec(running, silentNode), "api:tier2", null, Instant.now());
        ledger.applyState(state(running, silentNode, CommandStatus.RUNNING, 1));
        Thread.sleep(SILENCE.toMillis() * 2);
        ledger.applyPresence(heartbeat("s2", heardNode));

        sweeper(ledger, events, () -> null).sweep();
        sweeper(ledger, events, Instant::now).sweep();
        assertThat(ledger.node(silentNode).orElseThrow().state()).as("not while the dispatcher is deaf or just back")
                .isEqualTo(Presence.State.ONLINE);

        sweeper(ledger, events, () -> Instant.EPOCH).sweep();
        assertThat(ledger.node(silentNode).orElseThrow().state()).isEqualTo(Presence.State.OFFLINE);
        assertThat(ledger.node(heardNode).orElseThrow().state()).isEqualTo(Presence.State.ONLINE);
        assertThat(ledger.command(running).orElseThrow().status()).isEqualTo(CommandStatus.LOST);
        assertThat(seen).filteredOn(e -> e.kind() == EventKind.PRESENCE).singleElement()
                .satisfies(e -> assertThat(e.node() + " " + e.status()).isEqualTo(silentNode + " offline"));

        assertThat(ledger.applyPresence(heartbeat("s1", silentNode))).as("it was only cut off: back online").isTrue();
        assertThat(ledger.node(silentNode).orElseThrow().state()).isEqualTo(Presence.State.ONLINE);
    }
}
