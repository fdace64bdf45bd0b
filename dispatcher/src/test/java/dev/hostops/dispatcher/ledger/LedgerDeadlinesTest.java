package dev.hostops.dispatcher.ledger;

import static dev.hostops.dispatcher.ledger.Fixtures.exec;
import static dev.hostops.dispatcher.ledger.Fixtures.newId;
import static dev.hostops.dispatcher.ledger.Fixtures.offline;
import static dev.hostops.dispatcher.ledger.Fixtures.online;
import static dev.hostops.dispatcher.ledger.Fixtures.state;
import static dev.hostops.dispatcher.ledger.Fixtures.succeeded;
import static dev.hostops.dispatcher.ledger.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.message.Result;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** EXPIRED and LOST declared by the dispatcher, and the anomalies of late results, on both databases. */
class LedgerDeadlinesTest extends LedgerTestBase {
    private static final Duration GRACE = Duration.ofSeconds(30);

    private Ledger openWithGrace(TestDatabases.Kind db) {
        return open(fresh(db).withExpiryGrace(GRACE));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void expireDueExpiresOnlyQueuedCommandsPastExpiresAtPlusGrace(TestDatabases.Kind db) {
        Ledger ledger = openWithGrace(db);
        String queued = newId();
        String delivered = newId();
        String notDue = newId();
        String noDeadline = newId();
        ledger.recordCommand(exec(queued, "node-a"), "broker", null, t(0)); // expiresAt t(600)
        ledger.recordCommand(exec(delivered, "node-a"), "broker", null, t(0));
        ledger.applyState(state(delivered, "node-a", CommandStatus.DELIVERED, 1));
        ledger.recordCommand(exec(notDue, "node-a").withExpiresAt(t(2000)), "broker", null, t(0));
        ledger.recordCommand(exec(noDeadline, "node-a").withExpiresAt(null), "broker", null, t(0));

        assertThat(ledger.expireDue(t(620))).as("within the grace").isEmpty();

        List<CommandView> expired = ledger.expireDue(t(630));
        assertThat(expired).extracting(CommandView::id).containsExactly(queued);
        assertThat(expired.get(0).status()).isEqualTo(CommandStatus.EXPIRED);
        CommandView stored = ledger.command(queued).orElseThrow();
        assertThat(stored.status()).isEqualTo(CommandStatus.EXPIRED);
        assertThat(stored.times().finished()).isEqualTo(t(630));
        assertThat(stored.error().code()).isEqualTo(ErrorCode.EXPIRED.name());
        assertThat(ledger.command(delivered).orElseThrow().status()).as("the node decides for DELIVERED").isEqualTo(CommandStatus.DELIVERED);
        assertThat(ledger.command(notDue).orElseThrow().status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(ledger.command(noDeadline).orElseThrow().status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(ledger.expireDue(t(10_000))).extracting(CommandView::id).containsExactly(notDue);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aResultAfterExpiredIsAnAnomalyAndDoesNotOverwrite(TestDatabases.Kind db) {
        Ledger ledger = openWithGrace(db);
        String id = newId();
        ledger.recordCommand(exec(id, "node-a"), "broker", null, t(0));
        ledger.expireDue(t(700));

        Result late = succeeded(id, "node-a", 650, 660);
        assertThat(ledger.applyResult(late)).isEqualTo(new Applied(Applied.Outcome.ANOMALY, id, CommandStatus.EXPIRED));
        assertThat(ledger.applyResult(late).outcome()).as("a repeat is the same anomaly").isEqualTo(Applied.Outcome.ANOMALY);

        CommandView c = ledger.command(id).orElseThrow();
        assertThat(c.status()).isEqualTo(CommandStatus.EXPIRED);
        assertThat(c.resultJson()).isNull();
        assertThat(c.exitCode()).isNull();
        assertThat(ledger.anomalies(10)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(Anomaly.Kind.RESULT_AFTER_EXPIRED);
            assertThat(a.commandId()).isEqualTo(id);
            assertThat(a.existing()).isEqualTo(CommandStatus.EXPIRED);
            assertThat(a.received()).isEqualTo(CommandStatus.SUCCEEDED);
            assertThat(a.payload()).contains("\"exitCode\":0");
        });
        assertThat(registry.get("hostops.ledger.anomalies").tag("kind", "RESULT_AFTER_EXPIRED").counter().count())
                .isEqualTo(1.0);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theNodesOwnExpiredResultConfirmsTheDispatchersDeclaration(TestDatabases.Kind db) {
        Ledger ledger = openWithGrace(db);
        String id = newId();
        ledger.recordCommand(exec(id, "node-a"), "broker", null, t(0));
        ledger.expireDue(t(700));

        Result nodeSays = Result.notRun(id, "node-a", CommandStatus.EXPIRED, ErrorCode.EXPIRED.info(), null);
        assertThat(ledger.applyResult(nodeSays).outcome()).isEqualTo(Applied.Outcome.APPLIED);
        assertThat(ledger.command(id).orElseThrow().resultJson()).isNotNull();
        assertThat(ledger.anomalies(10)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void runningReportedAfterExpiredIsAnAnomaly(TestDatabases.Kind db) {
        Ledger ledger = openWithGrace(db);
        String id = newId();
        ledger.recordCommand(exec(id, "node-a"), "broker", null, t(0));
        ledger.expireDue(t(700));

        assertThat(ledger.applyState(state(id, "node-a", CommandStatus.RUNNING, 640)).outcome()).isEqualTo(Applied.Outcome.ANOMALY);
        assertThat(ledger.command(id).orElseThrow().status()).isEqualTo(CommandStatus.EXPIRED);
        assertThat(ledger.anomalies(10)).extracting(Anomaly::kind).containsExactly(Anomaly.Kind.STARTED_AFTER_EXPIRED);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aStateOrResultFromAnotherNodeIsAnAnomaly(TestDatabases.Kind db) {
        Ledger ledger = openWithGrace(db);
        String id = newId();
        ledger.recordCommand(exec(id, "node-a"), "broker", null, t(0));

        assertThat(ledger.applyState(state(id, "node-b", CommandStatus.RUNNING, 1)).outcome()).isEqualTo(Applied.Outcome.ANOMALY);
        assertThat(ledger.applyResult(succeeded(id, "node-b", 1, 2)).outcome()).isEqualTo(Applied.Outcome.ANOMALY);

        CommandView c = ledger.command(id).orElseThrow();
        assertThat(c.status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(c.times().running()).isNull();
        assertThat(ledger.anomalies(10)).extracting(Anomaly::kind).containsOnly(Anomaly.Kind.WRONG_NODE).hasSize(2);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void markLostWaitsForTheGraceThenLosesOnlyRunningCommandsOfNodesOfflineThatLong(TestDatabases.Kind db) {
        Ledger ledger = openWithGrace(db);
        String running = newId();
        String queued = newId();
        String elsewhere = newId();
        String onlineNode = newId();
        String offlineLater = newId();
        ledger.applyPresence(online("s1", "node-a", 0));
        ledger.recordCommand(exec(running, "node-a"), "broker", null, t(0));
        ledger.applyState(state(running, "node-a", CommandStatus.RUNNING, 1));
        ledger.recordCommand(exec(queued, "node-a"), "broker", null, t(0));
        ledger.recordCommand(exec(elsewhere, "node-b"), "broker", null, t(0)); // node-b never sent a presence
        ledger.applyState(state(elsewhere, "node-b", CommandStatus.RUNNING, 1));
        ledger.applyPresence(online("s3", "node-c", 0));
        ledger.recordCommand(exec(onlineNode, "node-c"), "broker", null, t(0));
        ledger.applyState(state(onlineNode, "node-c", CommandStatus.RUNNING, 1));
        ledger.applyPresence(online("s4", "node-d", 0));
        ledger.recordCommand(exec(offlineLater, "node-d"), "broker", null, t(0));
        ledger.applyState(state(offlineLater, "node-d", CommandStatus.RUNNING, 1));
        ledger.applyPresence(offline("s1", "node-a", 10));
        ledger.applyPresence(offline("s4", "node-d", 20));

        assertThat(ledger.markLost(GRACE, t(39))).isEmpty();
        List<CommandView> lost = ledger.markLost(GRACE, t(40));

        assertThat(lost).extracting(CommandView::id).containsExactly(running);
        assertThat(ledger.command(onlineNode).orElseThrow().status()).isEqualTo(CommandStatus.RUNNING);
        assertThat(ledger.command(offlineLater).orElseThrow().status()).as("offline 20 s of the 30").isEqualTo(CommandStatus.RUNNING);
        assertThat(ledger.markLost(GRACE, t(50))).extracting(CommandView::id).containsExactly(offlineLater);
        CommandView c = ledger.command(running).orElseThrow();
        assertThat(c.status()).isEqualTo(CommandStatus.LOST);
        assertThat(c.error().code()).isEqualTo(ErrorCode.LOST.name());
        assertThat(c.times().finished()).isEqualTo(t(40));
        assertThat(ledger.command(queued).orElseThrow().status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(ledger.command(elsewhere).orElseThrow().status()).isEqualTo(CommandStatus.RUNNING);

        assertThat(ledger.applyResult(succeeded(running, "node-a", 1, 50))).isEqualTo(
                new Applied(Applied.Outcome.ANOMALY, running, CommandStatus.LOST));
        assertThat(ledger.command(running).orElseThrow().status()).isEqualTo(CommandStatus.LOST);
        assertThat(ledger.anomalies(10)).extracting(Anomaly::kind).containsExactly(Anomaly.Kind.RESULT_AFTER_LOST);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void markLostTakesDeliveredCommandsOnlyPastTheirDeadlinePlusGrace(TestDatabases.Kind db) {
        Ledger ledger = openWithGrace(db);
        String pastDeadline = newId();
        String noDeadline = newId();
        String awaitingBeforeDeadline = newId();
        ledger.recordCommand(exec(pastDeadline, "node-a").withExpiresAt(t(5)), "broker", null, t(0));
        ledger.applyState(state(pastDeadline, "node-a", CommandStatus.DELIVERED, 1));
        ledger.recordCommand(exec(noDeadline, "node-a").withExpiresAt(null), "broker", null, t(0));
        ledger.applyState(state(noDeadline, "node-a", CommandStatus.DELIVERED, 1));
        ledger.recordCommand(exec(awaitingBeforeDeadline, "node-a"), "broker", null, t(0)); // expiresAt t(600)
        ledger.applyState(state(awaitingBeforeDeadline, "node-a", CommandStatus.AWAITING_APPROVAL, 1));
        ledger.applyPresence(offline("s1", "node-a", 2));

        List<CommandView> lost = ledger.markLost(GRACE, t(40));

        assertThat(lost).extracting(CommandView::id).containsExactly(pastDeadline);
        assertThat(ledger.command(pastDeadline).orElseThrow().status()).isEqualTo(CommandStatus.LOST);
        assertThat(ledger.command(noDeadline).orElseThrow().status()).isEqualTo(CommandStatus.DELIVERED);
        assertThat(ledger.command(awaitingBeforeDeadline).orElseThrow().status()).isEqualTo(CommandStatus.AWAITING_APPROVAL);
        assertThat(ledger.markLost(GRACE, t(630))).extracting(CommandView::id)
                .containsExactly(awaitingBeforeDeadline);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void markLostSparesANodeThatCameBack(TestDatabases.Kind db) {
        Ledger ledger = openWithGrace(db);
        String id = newId();
        ledger.applyPresence(online("s1", "node-a", 0));
        ledger.recordCommand(exec(id, "node-a"), "broker", null, t(0));
        ledger.applyState(state(id, "node-a", CommandStatus.RUNNING, 1));
        ledger.applyPresence(offline("s1", "node-a", 10));
        ledger.applyPresence(online("s1", "node-a", 20)); // a network blip: same agent, same session

        assertThat(ledger.markLost(GRACE, t(100))).isEmpty();
        assertThat(ledger.command(id).orElseThrow().status()).isEqualTo(CommandStatus.RUNNING);

        ledger.applyPresence(offline("s1", "node-a", 110));
        ledger.applyPresence(online("s2", "node-a", 120)); // the agent restarted: it reports its own LOST
        assertThat(ledger.markLost(GRACE, t(200))).isEmpty();

        ledger.applyPresence(offline("s2", "node-a", 300));
        assertThat(ledger.markLost(GRACE, t(330))).extracting(CommandView::id).containsExactly(id);
    }
}
