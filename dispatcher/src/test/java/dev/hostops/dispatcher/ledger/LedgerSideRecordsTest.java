package dev.hostops.dispatcher.ledger;

import static dev.hostops.dispatcher.ledger.Fixtures.newId;
import static dev.hostops.dispatcher.ledger.Fixtures.offline;
import static dev.hostops.dispatcher.ledger.Fixtures.online;
import static dev.hostops.dispatcher.ledger.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.contracts.message.Presence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Log chunks, node presence and approvals, on both databases. */
class LedgerSideRecordsTest extends LedgerTestBase {

    private static LogChunk chunk(String id, long seq) {
        return new LogChunk(id, "node-a", seq, seq % 2 == 0 ? LogChunk.Stream.STDOUT : LogChunk.Stream.STDERR,
                "line " + seq + "\n", null, false);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void logChunksAreIdempotentPerSeqAndReadBackInOrder(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String id = newId();
        List<LogChunk> sent = new ArrayList<>();
        for (long seq = 0; seq < 20; seq++) {
            sent.add(chunk(id, seq));
        }
        List<LogChunk> shuffled = new ArrayList<>(sent);
        shuffled.addAll(sent.subList(5, 15)); // redelivered
        Collections.shuffle(shuffled, new java.util.Random(7));
        CompletableFuture.allOf(shuffled.stream().map(ledger::appendLogAsync).toArray(CompletableFuture[]::new)).join();
        ledger.appendLog(new LogChunk(id, "node-a", 20, LogChunk.Stream.STDOUT, "AAEC", LogChunk.BASE64, true));

        List<LogChunk> all = ledger.logs(id, 0, 100);
        assertThat(all).hasSize(21);
        assertThat(all.subList(0, 20)).containsExactlyElementsOf(sent);
        assertThat(all.get(20).bytes()).containsExactly(0, 1, 2);
        assertThat(all.get(20).eof()).isTrue();
        assertThat(ledger.logs(id, 15, 3)).extracting(LogChunk::seq).containsExactly(15L, 16L, 17L);
        assertThat(ledger.logs(newId(), 0, 10)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aChunkWithNulBytesKeepsItsBytes(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String id = newId();
        LogChunk withNul = new LogChunk(id, "node-a", 0, LogChunk.Stream.STDOUT, "a\u0000b", null, false);

        ledger.appendLog(withNul);

        assertThat(ledger.logs(id, 0, 10)).singleElement()
                .satisfies(c -> assertThat(c.bytes()).containsExactly(withNul.bytes()));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void presenceIsStoredAndALateLastWillOfAnOlderSessionIsIgnored(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        ledger.applyPresence(online("s1", "node-a", 0));
        ledger.applyPresence(online("s1", "node-b", 0));
        ledger.applyPresence(online("s2", "node-a", 30)); // the agent restarted
        ledger.applyPresence(offline("s1", "node-a", 31)); // the old session's will arrives late

        NodeView a = ledger.node("node-a").orElseThrow();
        assertThat(a.state()).isEqualTo(Presence.State.ONLINE);
        assertThat(a.sessionId()).isEqualTo("s2");
        assertThat(a.since()).isEqualTo(t(30));
        assertThat(a.hostname()).isEqualTo("host-node-a");
        assertThat(a.capabilities()).containsExactly("exec");
        assertThat(a.maxConcurrency()).isEqualTo(4);

        ledger.applyPresence(offline("s2", "node-a", 40));
        NodeView down = ledger.node("node-a").orElseThrow();
        assertThat(down.online()).isFalse();
        assertThat(down.since()).isEqualTo(t(40));
        assertThat(down.hostname()).as("an offline presence keeps what the node said about itself").isEqualTo("host-node-a");
        assertThat(ledger.nodes()).extracting(NodeView::node).containsExactly("node-a", "node-b");
        assertThat(ledger.node("node-z")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aPresenceThatChangesNothingIsNotNews(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        assertThat(ledger.applyPresence(online("s1", "node-a", 0))).as("a new node").isTrue();
        assertThat(ledger.applyPresence(online("s1", "node-a", 30))).as("a heartbeat").isFalse();
        assertThat(ledger.node("node-a").orElseThrow().since()).isEqualTo(t(0));

        Presence relabelled = withLabels(online("s1", "node-a", 60), Map.of("env", "prod"));
        assertThat(ledger.applyPresence(relabelled)).as("new labels").isTrue();
        assertThat(ledger.node("node-a").orElseThrow().labels()).containsEntry("env", "prod");
        assertThat(ledger.applyPresence(withLabels(online("s1", "node-a", 90), Map.of("env", "prod")))).isFalse();

        assertThat(ledger.applyPresence(offline("s1", "node-a", 100))).as("went offline").isTrue();
        assertThat(ledger.applyPresence(offline("s1", "node-a", 110))).as("the same last will again").isFalse();
        assertThat(ledger.applyPresence(offline("s0", "node-a", 120))).as("an older session's will").isFalse();
        assertThat(ledger.applyPresence(withLabels(online("s1", "node-a", 130), Map.of("env", "prod")))).as("back").isTrue();
        assertThat(ledger.applyPresence(withLabels(online("s2", "node-a", 140), Map.of("env", "prod")))).as("restarted").isTrue();
        NodeView a = ledger.node("node-a").orElseThrow();
        assertThat(a.online()).isTrue();
        assertThat(a.sessionId()).isEqualTo("s2");
        assertThat(a.since()).isEqualTo(t(140));
    }

    private static Presence withLabels(Presence p, Map<String, String> labels) {
        return new Presence(p.id(), p.node(), p.state(), p.hostname(), p.os(), p.arch(), p.agentVersion(), p.policyDigest(),
                p.capabilities(), labels, p.maxConcurrency(), p.at());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void approvalsArePendingUntilTheFirstDecision(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String asked = newId();
        String decidedFirst = newId();
        ledger.applyApprovalRequest(new ApprovalRequest(asked, "node-a", List.of("docker", "system", "df"), "/srv",
                "/usr/bin/docker", "allowlist miss", "tier2", t(120)));
        ledger.applyApprovalRequest(new ApprovalRequest(asked, "node-a", List.of("docker", "system", "df"), "/srv",
                "/usr/bin/docker", "allowlist miss", "tier2", t(120)));

        assertThat(ledger.approvals(ApprovalState.PENDING)).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(asked);
            assertThat(a.argv()).containsExactly("docker", "system", "df");
            assertThat(a.deadline()).isEqualTo(t(120));
        });

        ledger.applyApprovalDecision(new ApprovalDecision(asked, "node-a", ApprovalDecision.Decision.DENY, "alice", "no", null), "api:ops");
        ledger.applyApprovalDecision(new ApprovalDecision(asked, "node-a", ApprovalDecision.Decision.ALLOW_ONCE, "bob", null, null), "api:ops");
        // A decision seen before its request (both observed on the broker): the request fills in the rest.
        ledger.applyApprovalDecision(new ApprovalDecision(decidedFirst, "node-a", ApprovalDecision.Decision.ALLOW_ALWAYS, "carol", null, null), "broker");
        ledger.applyApprovalRequest(new ApprovalRequest(decidedFirst, "node-a", List.of("git", "gc"), null, "/usr/bin/git",
                "ask: always", null, t(60)));

        assertThat(ledger.approvals(ApprovalState.PENDING)).isEmpty();
        assertThat(ledger.approvals(ApprovalState.DENIED)).singleElement().satisfies(a -> {
            assertThat(a.approver()).isEqualTo("alice");
            assertThat(a.decision()).isEqualTo(ApprovalDecision.Decision.DENY);
            assertThat(a.decidedBy()).isEqualTo("api:ops");
            assertThat(a.decisionReason()).isEqualTo("no");
        });
        assertThat(ledger.approvals(ApprovalState.ALLOWED)).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(decidedFirst);
            assertThat(a.argv()).containsExactly("git", "gc");
            assertThat(a.decision()).isEqualTo(ApprovalDecision.Decision.ALLOW_ALWAYS);
        });
    }
}
