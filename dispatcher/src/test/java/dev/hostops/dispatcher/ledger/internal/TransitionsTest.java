package dev.hostops.dispatcher.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import dev.hostops.dispatcher.ledger.Anomaly;
import dev.hostops.dispatcher.ledger.Applied;
import dev.hostops.dispatcher.ledger.SubmitOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The correlation rules without a database: every order of a command's events gives one row. */
class TransitionsTest {
    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    private static final String ID = "cmd-1";
    private static final String NODE = "node-a";

    private final Json json = new Json(MessageCodec.standard());
    private final Transitions transitions = new Transitions(json);

    /** A workspace in memory; history and anomalies are kept for inspection. */
    private static final class MemoryWorkspace implements Workspace {
        final Map<String, CommandRow> rows = new HashMap<>();
        final Map<CommandStatus, Long> history = new HashMap<>();
        final List<Anomaly> anomalies = new ArrayList<>();

        @Override
        public CommandRow find(String id) {
            return rows.get(id);
        }

        @Override
        public void add(CommandRow row) {
            rows.put(row.id, row);
        }

        @Override
        public void history(String commandId, CommandStatus status, long at, String origin, String detail) {
            history.putIfAbsent(status, at);
        }

        @Override
        public void anomaly(Anomaly anomaly) {
            anomalies.add(anomaly);
        }
    }

    private static Instant t(long s) {
        return T0.plusSeconds(s);
    }

    private final Exec exec = Exec.of(ID, NODE, List.of("make")).withExpiresAt(t(60));
    private final Result result = new Result(ID, NODE, CommandStatus.FAILED, 2, t(2), t(4), 2000L, null, null, null, null,
            0, 0, 0, false, null);

    private List<Consumer<MemoryWorkspace>> events() {
        return List.of(
                ws -> transitions.exec(ws, exec, json.encode(exec), "broker", null, T0.toEpochMilli(), false),
                ws -> transitions.state(ws, new StateChange(ID, NODE, CommandStatus.DELIVERED, t(1), null)),
                ws -> transitions.state(ws, new StateChange(ID, NODE, CommandStatus.RUNNING, t(2), null)),
                ws -> transitions.result(ws, result, json.encode(result), t(9).toEpochMilli()));
    }

    @Test
    void everyOrderOfTheEventsWithRepeatsGivesTheSameRowAndHistory() {
        MemoryWorkspace reference = new MemoryWorkspace();
        events().forEach(e -> e.accept(reference));
        CommandRow expected = reference.rows.get(ID);
        assertThat(expected.status).isEqualTo(CommandStatus.FAILED);

        for (List<Integer> order : permutations(List.of(0, 1, 2, 3))) {
            MemoryWorkspace ws = new MemoryWorkspace();
            for (int i : order) {
                events().get(i).accept(ws);
                events().get(i).accept(ws); // every event twice, back to back
            }
            assertThat(ws.rows.get(ID)).as("order %s", order)
                    .usingRecursiveComparison().ignoringFields("isNew", "dirty").isEqualTo(expected);
            assertThat(ws.history).as("order %s", order).isEqualTo(reference.history);
            assertThat(ws.anomalies).isEmpty();
        }
    }

    @Test
    void anExecForAnotherNodeThanItsEarlierEventsConflicts() {
        MemoryWorkspace ws = new MemoryWorkspace();
        transitions.state(ws, new StateChange(ID, "node-b", CommandStatus.RUNNING, t(1), null));

        assertThat(transitions.exec(ws, exec, json.encode(exec), "broker", null, 0, false)).isEqualTo(SubmitOutcome.Kind.CONFLICT);
        assertThat(ws.rows.get(ID).execJson).isNull();
    }

    @Test
    void aTerminalStateMessageIsIgnored() {
        MemoryWorkspace ws = new MemoryWorkspace();
        transitions.exec(ws, exec, json.encode(exec), "broker", null, 0, false);

        Applied applied = transitions.state(ws, new StateChange(ID, NODE, CommandStatus.SUCCEEDED, t(1), null));

        assertThat(applied).isEqualTo(new Applied(Applied.Outcome.IGNORED, ID, CommandStatus.QUEUED));
        assertThat(ws.rows.get(ID).status).isEqualTo(CommandStatus.QUEUED);
    }

    @Test
    void expireAndLoseOnlyTakeTheStatusesTheyAreFor() {
        MemoryWorkspace ws = new MemoryWorkspace();
        transitions.exec(ws, exec, json.encode(exec), "broker", null, 0, false);
        CommandRow row = ws.rows.get(ID);

        assertThat(transitions.lose(ws, row, t(100).toEpochMilli(), 0)).as("QUEUED is not lost").isFalse();
        assertThat(transitions.expire(ws, row, t(100).toEpochMilli())).isTrue();
        assertThat(transitions.expire(ws, row, t(101).toEpochMilli())).as("only once").isFalse();
        assertThat(row.finishedAt).isEqualTo(t(100).toEpochMilli());
        assertThat(ws.history).containsEntry(CommandStatus.EXPIRED, t(100).toEpochMilli());
    }

    private static List<List<Integer>> permutations(List<Integer> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<Integer> rest = new ArrayList<>(items);
            Integer head = rest.remove(i);
            for (List<Integer> tail : permutations(rest)) {
                List<Integer> p = new ArrayList<>();
                p.add(head);
                p.addAll(tail);
                out.add(p);
            }
        }
        return out;
    }
}
