package dev.hostops.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Result;
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
 * store's busy timeout; a full disk is the same to the agent). A command delivered meanwhile waits,
 * unacknowledged, and runs once the store can record it; a result produced meanwhile waits in
 * memory and is published once stored; a command rejected on arrival meanwhile is answered once
 * the store takes its answer. Before, each failed write was logged and the message acknowledged
 * anyway: a command gone without a result, a result dropped (the command RUNNING until a restart
 * called it LOST), a rejection never sent.
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
        return retries(NodeMetrics.CLAIM_RETRIES);
    }

    private double resultRetries() {
        return retries(NodeMetrics.RESULT_RETRIES);
    }

    private double retries(String meter) {
        return rig.agent().registry().find(meter).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Holds the node store's write lock from another connection, as another process would. */
    private Connection lockStore() throws Exception {
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + rig.host.data.resolve(NodeStore.FILE_NAME));
        try (Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
        }
        return other;
    }

    private static void unlock(Connection other) throws Exception {
        try (other; Statement s = other.createStatement()) {
            s.execute("ROLLBACK");
        }
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

    @Test
    void aResultTheStoreCannotWriteWaitsInMemoryAndIsPublishedOnceStored() throws Exception {
        Path go = rig.host.root.resolve("go");
        Path waiter = rig.host.script("waiter", "while [ ! -e '" + go + "' ]; do sleep 0.02; done; echo finished");
        String id = UUID.randomUUID().toString();
        rig.tier2.send(rig.host.node, Exec.of(id, rig.host.node, List.of(waiter.toString())));
        Awaitility.await("the command runs").atMost(Duration.ofSeconds(30)).until(() ->
                rig.tier2.states.getOrDefault(id, List.of()).stream().anyMatch(s -> s.status() == CommandStatus.RUNNING));

        Connection other = lockStore();
        try {
            Files.createFile(go); // the process ends now, while its result cannot be stored
            Awaitility.await("the agent's result write failed at least once").atMost(Duration.ofSeconds(60))
                    .until(() -> resultRetries() >= 1);
            assertThat(rig.tier2.results.get(id)).as("a result is published only once stored").isNull();
        } finally {
            unlock(other);
        }

        Result result = rig.tier2.awaitResult(id, Duration.ofSeconds(60));
        assertThat(result.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(result.stdoutTail()).isEqualTo("finished\n");
        assertThat(rig.tier2.results.get(id)).hasSize(1);
    }

    @Test
    void aCommandRejectedOnArrivalWhileTheStoreCannotWriteIsAnsweredOnceItCan() throws Exception {
        String id = UUID.randomUUID().toString();
        Connection other = lockStore();
        try {
            rig.tier2.send(rig.host.node, Exec.of(id, "some-other-node", List.of("/bin/true")));
            Awaitility.await("the agent's answer failed at least once").atMost(Duration.ofSeconds(60))
                    .until(() -> resultRetries() >= 1);
            assertThat(rig.tier2.results.get(id)).isNull();
        } finally {
            unlock(other);
        }

        Result result = rig.tier2.awaitResult(id, Duration.ofSeconds(60));
        assertThat(result.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(result.error().code()).isEqualTo(ErrorCode.WRONG_NODE.name());
        assertThat(rig.tier2.results.get(id)).hasSize(1);
    }
}
