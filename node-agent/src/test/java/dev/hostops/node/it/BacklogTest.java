package dev.hostops.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.Exec;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.metrics.NodeMetrics;
import dev.hostops.node.store.NodeStore;
import dev.hostops.node.testing.TestBrokers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More commands than may wait in memory: the rest wait in the node store and are read back in
 * claim order, live and after a restart. A real broker, real processes, an agent that may run one
 * command at a time and keep four waiting in memory.
 */
class BacklogTest {
    private static final int QUEUE_IN_MEMORY = 4;
    private static final int BACKLOG = 50;

    @TempDir
    Path tmp;

    private AgentRig rig;
    private TestHost host;
    private Orchestrator tier2;
    private Path order;
    private Path record;

    @BeforeEach
    void setUp() throws Exception {
        rig = AgentRig.on(TestBrokers.mqtt(), tmp, "node");
        host = rig.host;
        tier2 = rig.tier2;
        order = host.work.resolve("order.txt");
        record = host.script("record", "echo \"$1\" >> '" + order + "'");
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    private NodeAgent startAgent() throws Exception {
        return rig.start(host.config(rig.broker, NodeStore.Durability.NORMAL, 1).withQueueInMemory(QUEUE_IN_MEMORY));
    }

    private List<Exec> records() {
        List<Exec> burst = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            burst.add(Exec.of(UUID.randomUUID().toString(), host.node, List.of(record.toString(), Integer.toString(i))));
        }
        return burst;
    }

    @Test
    void aBacklogBeyondTheQueueInMemoryWaitsInTheStoreAndRunsInOrderOnce() throws Exception {
        NodeAgent agent = startAgent();
        Path release = host.work.resolve("release");
        Path hold = host.script("hold", "while [ ! -e '" + release + "' ]; do sleep 0.02; done");
        Exec holding = Exec.of(UUID.randomUUID().toString(), host.node, List.of(hold.toString()));
        List<Exec> burst = records();
        List<Exec> all = new ArrayList<>(List.of(holding));
        all.addAll(burst);

        tier2.sendAll(host.node, all);

        // Every command is claimed (DELIVERED) while the first one holds the only slot...
        Awaitility.await("all delivered").atMost(Duration.ofSeconds(30)).until(() -> all.stream().allMatch(e ->
                tier2.states.getOrDefault(e.id(), List.of()).stream().anyMatch(s -> s.status() == CommandStatus.DELIVERED)));
        // ...and no more than the queue's size of them waits in memory.
        double waiting = agent.registry().get(NodeMetrics.WAITING).gauge().value();
        assertThat(waiting).isBetween(1.0, (double) QUEUE_IN_MEMORY);

        Files.createFile(release);

        assertThat(tier2.awaitResult(holding.id()).status()).isEqualTo(CommandStatus.SUCCEEDED);
        for (Exec e : burst) {
            assertThat(tier2.awaitResult(e.id()).status()).isEqualTo(CommandStatus.SUCCEEDED);
        }
        assertThat(Files.readAllLines(order)).containsExactlyElementsOf(burst.stream().map(e -> e.argv().get(1)).toList());
        assertThat(all).allSatisfy(e -> assertThat(tier2.results.get(e.id())).hasSize(1));
    }

    /** An agent that died with commands claimed but not started reads them back a page at a time. */
    @Test
    void aRestartedAgentRunsTheBacklogItLeftInTheStoreInOrder() throws Exception {
        List<Exec> burst = records();
        try (NodeStore store = NodeStore.open(host.data, NodeStore.Durability.NORMAL)) {
            for (Exec e : burst) {
                assertThat(store.claim(e.id(), MessageCodec.standard().encode(e), Instant.now()).isNew()).isTrue();
            }
        }

        startAgent();

        for (Exec e : burst) {
            assertThat(tier2.awaitResult(e.id()).status()).isEqualTo(CommandStatus.SUCCEEDED);
        }
        assertThat(Files.readAllLines(order)).containsExactlyElementsOf(burst.stream().map(e -> e.argv().get(1)).toList());
        assertThat(burst).allSatisfy(e -> assertThat(tier2.results.get(e.id())).hasSize(1));
    }
}
