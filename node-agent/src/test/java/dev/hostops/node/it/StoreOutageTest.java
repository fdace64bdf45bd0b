package dev.hostops.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.Exec;
import dev.hostops.node.metrics.NodeMetrics;
import dev.hostops.node.store.NodeStore;
import dev.hostops.node.testing.TestBrokers;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node store cannot write for a while (here another process holds its write lock past the
 * store's busy timeout; a full disk is the same to the agent): a command delivered meanwhile waits,
 * unacknowledged, and runs once the store can record it. Before, its failed claim was logged, the
 * message acknowledged anyway, and the command gone without a result.
 */
class StoreOutageTest {
    @TempDir
    Path tmp;

    private AgentRig rig;

    @BeforeEach
    void setUp() throws Exception {
        rig = AgentRig.on(TestBrokers.mqtt(), tmp, "node");
        rig.start();
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    private double claimRetries() {
        return rig.agent().registry().find(NodeMetrics.CLAIM_RETRIES).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void aCommandDeliveredWhileTheStoreCannotWriteRunsOnceItCan() throws Exception {
        Path runs = rig.host.root.resolve("runs");
        Path count = rig.host.script("count", "echo run >> '" + runs + "'");
        String id = UUID.randomUUID().toString();

        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + rig.host.data.resolve(NodeStore.FILE_NAME));
             Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            rig.tier2.send(rig.host.node, Exec.of(id, rig.host.node, List.of(count.toString())));

            Awaitility.await("the agent's claim failed at least once").atMost(Duration.ofSeconds(60))
                    .until(() -> claimRetries() >= 1);
            assertThat(rig.tier2.results.get(id)).as("nothing ran and nothing was answered yet").isNull();
            assertThat(runs).doesNotExist();
            s.execute("ROLLBACK");
        }

        assertThat(rig.tier2.awaitResult(id).status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(Files.readAllLines(runs)).containsExactly("run");
        assertThat(rig.tier2.results.get(id)).hasSize(1);
    }
}
