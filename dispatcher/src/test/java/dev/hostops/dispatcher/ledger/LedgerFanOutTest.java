package dev.hostops.dispatcher.ledger;

import static dev.hostops.dispatcher.ledger.Fixtures.exec;
import static dev.hostops.dispatcher.ledger.Fixtures.newId;
import static dev.hostops.dispatcher.ledger.Fixtures.state;
import static dev.hostops.dispatcher.ledger.Fixtures.succeeded;
import static dev.hostops.dispatcher.ledger.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.Exec;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Fan-out requests and command queries, on both databases. */
class LedgerFanOutTest extends LedgerTestBase {

    @ParameterizedTest
    @MethodSource("databases")
    void aRequestGroupsItsInvocationsAndCountsThemByStatus(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String requestId = "req-" + newId();
        Exec template = exec(newId(), "node-a");
        String[] ids = new String[4];
        for (int i = 0; i < 4; i++) {
            ids[i] = newId();
            ledger.recordCommand(template.forNode(ids[i], "node-" + i), "api:tier2", requestId, t(0));
        }
        ledger.recordCommand(exec(newId(), "node-0"), "api:tier2", null, t(0)); // not part of the request
        ledger.applyState(state(ids[1], "node-1", CommandStatus.RUNNING, 1));
        ledger.applyState(state(ids[2], "node-2", CommandStatus.RUNNING, 1));
        ledger.applyResult(succeeded(ids[2], "node-2", 1, 2));
        ledger.applyState(state(ids[3], "node-3", CommandStatus.RUNNING, 1));
        ledger.applyResult(succeeded(ids[3], "node-3", 1, 3));

        RequestView request = ledger.request(requestId);
        assertThat(request.total()).isEqualTo(4);
        assertThat(request.invocations()).extracting(CommandView::node).containsExactly("node-0", "node-1", "node-2", "node-3");
        assertThat(request.counts()).isEqualTo(Map.of(
                CommandStatus.QUEUED, 1, CommandStatus.RUNNING, 1, CommandStatus.SUCCEEDED, 2));
        assertThat(request.done()).isFalse();
        assertThat(ledger.request("req-unknown").total()).isZero();

        assertThat(ledger.requestStatuses(requestId)).as("the same group, statuses only").containsExactly(
                new InvocationStatus(ids[0], "node-0", CommandStatus.QUEUED),
                new InvocationStatus(ids[1], "node-1", CommandStatus.RUNNING),
                new InvocationStatus(ids[2], "node-2", CommandStatus.SUCCEEDED),
                new InvocationStatus(ids[3], "node-3", CommandStatus.SUCCEEDED));
        assertThat(ledger.requestStatuses("req-unknown")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anInvocationIsNeverACommandOfNoOrAnotherRequest(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String id = newId();
        Exec exec = exec(id, "node-a");
        ledger.recordCommand(exec, "api:tier2", null, t(0));
        assertThat(ledger.recordCommand(exec, "api:tier2", "req-" + id, t(1)).kind())
                .as("the same exec, but as an invocation").isEqualTo(SubmitOutcome.Kind.CONFLICT);
        assertThat(ledger.recordCommand(exec, "broker", null, t(1)).kind())
                .as("seen again on the broker").isEqualTo(SubmitOutcome.Kind.EXISTS);
        String invocation = newId();
        ledger.recordCommand(exec(invocation, "node-b"), "api:tier2", "req-1", t(0));
        assertThat(ledger.recordCommand(exec(invocation, "node-b"), "api:tier2", "req-2", t(1)).kind()).isEqualTo(SubmitOutcome.Kind.CONFLICT);
        assertThat(ledger.recordCommand(exec(invocation, "node-b"), "api:tier2", "req-1", t(1)).kind()).isEqualTo(SubmitOutcome.Kind.EXISTS);
        assertThat(ledger.command(id).orElseThrow().requestId()).isNull();
        assertThat(ledger.exec(invocation)).contains(exec(invocation, "node-b"));
        assertThat(ledger.exec("unknown-" + id)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void commandsAreFilteredAndNewestFirst(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String first = newId();
        String second = newId();
        String third = newId();
        ledger.recordCommand(exec(first, "node-a"), "broker", null, t(0));
        ledger.recordCommand(exec(second, "node-b"), "broker", null, t(1));
        ledger.recordCommand(exec(third, "node-a"), "broker", "r1", t(2));
        ledger.applyState(state(third, "node-a", CommandStatus.RUNNING, 3));

        assertThat(ledger.commands(CommandQuery.all())).extracting(CommandView::id).containsExactly(third, second, first);
        assertThat(ledger.commands(CommandQuery.all().withNode("node-a"))).extracting(CommandView::id).containsExactly(third, first);
        assertThat(ledger.commands(CommandQuery.all().withNode("node-a").withStatus(CommandStatus.QUEUED)))
                .extracting(CommandView::id).containsExactly(first);
        assertThat(ledger.commands(CommandQuery.all().withRequestId("r1"))).extracting(CommandView::id).containsExactly(third);
        assertThat(ledger.commands(CommandQuery.all().withLimit(1))).extracting(CommandView::id).containsExactly(third);
    }
}
