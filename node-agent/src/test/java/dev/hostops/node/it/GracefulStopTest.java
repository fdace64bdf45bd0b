package dev.hostops.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.testing.MosquittoProcess;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import dev.hostops.node.testing.TestBrokers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean stop (SIGTERM from a service manager, Ctrl-C, {@code NodeAgent.close()}) while a command
 * runs: the command is cancelled and its CANCELLED result reaches the broker before the agent says
 * it is offline, so the dispatcher never marks it LOST (and then sees a RESULT_AFTER_LOST when the
 * agent comes back). When the broker is gone, the result waits in the outbox for the next start.
 */
class GracefulStopTest {
    @TempDir
    Path tmp;

    @Test
    void closingTheAgentPublishesTheCancelledResultBeforeTheOfflinePresence() throws Exception {
        try (AgentRig rig = AgentRig.on(TestBrokers.mqtt(), tmp, "stop")) {
            rig.start();
            Path slow = rig.host.script("slow", "sleep 30");
            String id = UUID.randomUUID().toString();
            rig.tier2.send(rig.host.node, Exec.of(id, rig.host.node, List.of(slow.toString())));
            awaitRunning(rig.tier2, id);

            long start = System.nanoTime();
            rig.stopAgent();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertCancelledThenOffline(rig.tier2, id);
            assertThat(took).as("the stop").isLessThan(Duration.ofSeconds(10));
        }
    }

    /** The same through a real process and SIGTERM, as systemd, WinSW or Ctrl-C stop {@code hostops node run}. */
    @Test
    void sigtermOnTheAgentProcessPublishesTheCancelledResultBeforeTheOfflinePresence() throws Exception {
        BrokerUrl broker = TestBrokers.mqtt();
        TestHost host = new TestHost(tmp, "sigterm-" + UUID.randomUUID().toString().substring(0, 8));
        Path slow = host.script("slow", "sleep 30");
        String id = UUID.randomUUID().toString();
        try (Orchestrator tier2 = new Orchestrator(broker, host.node); AgentJvm agent = AgentJvm.start(broker, host)) {
            tier2.send(host.node, Exec.of(id, host.node, List.of(slow.toString())));
            awaitRunning(tier2, id);

            assertThat(agent.terminate(Duration.ofSeconds(15))).as("exit code").isNotNegative();

            assertCancelledThenOffline(tier2, id);
            assertThat(agent.output()).contains("because it was cancelled: the node agent is stopping");
        }
    }

    /**
     * A stop frees the slot of the command it cancels: the command waiting for that slot must not
     * start then (it would be killed without a result, or hold the stop up). It stays claimed in
     * the store and runs, once, at the next start.
     */
    @Test
    void aCommandWaitingForASlotIsNotStartedByTheStopAndRunsAtTheNextStart() throws Exception {
        try (AgentRig rig = AgentRig.on(TestBrokers.mqtt(), tmp, "queued")) {
            TestHost host = rig.host;
            rig.start(host.config(rig.broker, dev.hostops.node.store.NodeStore.Durability.NORMAL, 1));
            Path runs = host.root.resolve("second-runs");
            Path slow = host.script("slow", "sleep 30");
            Path second = host.script("second", "echo run >> " + runs + "\nsleep 3");
            String first = UUID.randomUUID().toString();
            String waiting = UUID.randomUUID().toString();
            rig.tier2.send(host.node, Exec.of(first, host.node, List.of(slow.toString())));
            awaitRunning(rig.tier2, first);
            rig.tier2.send(host.node, Exec.of(waiting, host.node, List.of(second.toString())));
            Awaitility.await("the second command is delivered").until(() -> rig.tier2.states.containsKey(waiting));

            rig.stopAgent();

            assertCancelledThenOffline(rig.tier2, first);
            assertThat(runs).as("the waiting command did not start during the stop").doesNotExist();
            assertThat(rig.tier2.results).doesNotContainKey(waiting);

            rig.start(host.config(rig.broker, dev.hostops.node.store.NodeStore.Durability.NORMAL, 1));
            assertThat(rig.tier2.awaitResult(waiting).status()).isEqualTo(CommandStatus.SUCCEEDED);
            assertThat(Files.readAllLines(runs)).hasSize(1);
        }
    }

    /**
     * The broker is gone when the agent stops: the stop still ends within its bound, and the
     * CANCELLED result, kept in the outbox, is published by the next start (not LOST, not lost).
     */
    @Test
    void withTheBrokerGoneTheCancelledResultWaitsInTheOutboxForTheNextStart() throws Exception {
        try (MosquittoProcess mosquitto = MosquittoProcess.start(Files.createDirectories(tmp.resolve("mosquitto")))) {
            String id = UUID.randomUUID().toString();
            TestHost host;
            try (AgentRig rig = AgentRig.on(mosquitto.url(), tmp, "gone")) {
                host = rig.host;
                rig.start();
                Path slow = rig.host.script("slow", "sleep 30");
                rig.tier2.send(rig.host.node, Exec.of(id, rig.host.node, List.of(slow.toString())));
                awaitRunning(rig.tier2, id);
                mosquitto.stop();

                long start = System.nanoTime();
                rig.stopAgent();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the stop without a broker")
                        .isLessThan(Duration.ofSeconds(15));
                assertThat(rig.tier2.results).doesNotContainKey(id);
            }

            mosquitto.start();
            try (Orchestrator tier2 = new Orchestrator(mosquitto.url(), host.node)) {
                var agent = host.start(mosquitto.url());
                try {
                    Result r = tier2.awaitResult(id);
                    assertThat(r.status()).isEqualTo(CommandStatus.CANCELLED);
                    assertThat(r.error().message()).contains("the node agent is stopping");
                } finally {
                    agent.close();
                }
            }
        }
    }

    /**
     * A broker that takes the connection but acknowledges nothing (SIGSTOPped): the stop waits
     * {@code drainTimeout} for the acknowledgement, not longer, and the result stays in the outbox
     * for the next start.
     */
    @Test
    void aStalledBrokerHoldsTheStopForTheDrainTimeoutOnly() throws Exception {
        try (MosquittoProcess mosquitto = MosquittoProcess.start(Files.createDirectories(tmp.resolve("mosquitto")))) {
            String id = UUID.randomUUID().toString();
            TestHost host;
            try (AgentRig rig = AgentRig.on(mosquitto.url(), tmp, "stalled")) {
                host = rig.host;
                rig.start(host.config(rig.broker, dev.hostops.node.store.NodeStore.Durability.NORMAL)
                        .withDrainTimeout(Duration.ofSeconds(1)));
                Path slow = host.script("slow", "sleep 30");
                rig.tier2.send(host.node, Exec.of(id, host.node, List.of(slow.toString())));
                awaitRunning(rig.tier2, id);
                mosquitto.freeze();

                long start = System.nanoTime();
                rig.stopAgent();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                // 1 s of drain, then the offline presence (2 s) and the transport's own close (about 6 s), at most
                assertThat(took).as("the stop against a stalled broker").isLessThan(Duration.ofSeconds(15));
                mosquitto.thaw();
            }
            try (Orchestrator tier2 = new Orchestrator(mosquitto.url(), host.node)) {
                var agent = host.start(mosquitto.url());
                try {
                    Result r = tier2.awaitResult(id);
                    assertThat(r.status()).isEqualTo(CommandStatus.CANCELLED);
                } finally {
                    agent.close();
                }
            }
        }
    }

    private static void awaitRunning(Orchestrator tier2, String id) {
        Awaitility.await("command " + id + " runs").atMost(Duration.ofSeconds(30)).until(() ->
                tier2.states.getOrDefault(id, List.of()).stream().anyMatch(s -> s.status() == CommandStatus.RUNNING));
    }

    /** Without a restart: the result came, CANCELLED, and before the offline presence; the states were sensible. */
    private static void assertCancelledThenOffline(Orchestrator tier2, String id) {
        Result r = tier2.awaitResult(id, Duration.ofSeconds(10));
        assertThat(r.status()).isEqualTo(CommandStatus.CANCELLED);
        assertThat(r.error().message()).contains("the node agent is stopping");
        Awaitility.await("the offline presence").atMost(Duration.ofSeconds(10)).until(() ->
                tier2.presence.stream().anyMatch(p -> p.state() == Presence.State.OFFLINE));
        List<Message> seen = List.copyOf(tier2.arrivals);
        int result = seen.indexOf(r);
        int offline = indexOfFirst(seen, m -> m instanceof Presence p && p.state() == Presence.State.OFFLINE);
        assertThat(result).as("the result arrives before the offline presence: %s", seen).isLessThan(offline);
        assertThat(tier2.states.get(id)).extracting(StateChange::status)
                .containsExactly(CommandStatus.DELIVERED, CommandStatus.RUNNING);
        assertThat(tier2.results.get(id)).hasSize(1);
    }

    private static int indexOfFirst(List<Message> list, java.util.function.Predicate<Message> p) {
        for (int i = 0; i < list.size(); i++) {
            if (p.test(list.get(i))) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }
}
