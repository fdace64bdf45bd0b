package dev.hostops.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.testing.Brokers;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.Exec;
import dev.hostops.node.store.NodeStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent on AMQP 0-9-1 (RabbitMQ, 127.0.0.1:5672 on the CI machine), end to end: the
 * same intake as on MQTT (a command is acknowledged once its claim is durable), the same order,
 * and the durable queue that keeps commands for an agent that is down.
 */
class NodeAgentAmqpTest {
    @TempDir
    Path tmp;

    private AgentRig rig;
    private TestHost host;
    private Orchestrator tier2;

    @BeforeEach
    void setUp() throws Exception {
        rig = AgentRig.on(Brokers.requireAmqp(), tmp, "amqp-node");
        host = rig.host;
        tier2 = rig.tier2;
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    private void start(int maxConcurrency) throws Exception {
        rig.start(host.config(rig.broker, NodeStore.Durability.FULL, maxConcurrency));
    }

    @Test
    void aBurstRunsInPublicationOrderWithExactOutput() throws Exception {
        start(1);
        Path order = host.work.resolve("order.txt");
        Path record = host.script("record", "echo \"$1\" >> '" + order + "'; echo \"ran $1\"");
        List<Exec> burst = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            burst.add(Exec.of(UUID.randomUUID().toString(), host.node, List.of(record.toString(), Integer.toString(i))));
        }

        tier2.sendAll(host.node, burst);

        for (Exec e : burst) {
            var r = tier2.awaitResult(e.id());
            assertThat(r.status()).isEqualTo(CommandStatus.SUCCEEDED);
            assertThat(r.stdoutTail()).isEqualTo("ran " + e.argv().get(1) + "\n");
        }
        assertThat(Files.readAllLines(order)).containsExactlyElementsOf(burst.stream().map(e -> e.argv().get(1)).toList());
    }

    @Test
    void commandsPublishedWhileTheAgentIsDownRunWhenItComesBackAndExpiredOnesDoNot() throws Exception {
        start(4);     // the first start declares the node's durable queue
        rig.stopAgent();
        Path marker = host.root.resolve("offline-runs");
        Path count = host.script("count", "echo \"$1\" >> " + marker);
        Exec fresh = Exec.of(UUID.randomUUID().toString(), host.node, List.of(count.toString(), "fresh"))
                .withExpiresAt(Instant.now().plusSeconds(600));
        Exec stale = Exec.of(UUID.randomUUID().toString(), host.node, List.of(count.toString(), "stale"))
                .withExpiresAt(Instant.now().minusSeconds(1));
        tier2.send(host.node, fresh);
        tier2.send(host.node, stale);

        start(4);

        assertThat(tier2.awaitResult(fresh.id()).status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(tier2.awaitResult(stale.id()).status()).isEqualTo(CommandStatus.EXPIRED);
        assertThat(Files.readAllLines(marker)).containsExactly("fresh");
    }
}
