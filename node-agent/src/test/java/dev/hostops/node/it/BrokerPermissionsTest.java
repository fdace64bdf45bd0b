package dev.hostops.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.acl.AclFiles;
import dev.hostops.broker.acl.AclPlan;
import dev.hostops.broker.acl.Credential;
import dev.hostops.broker.testing.MosquittoProcess;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Presence;
import dev.hostops.node.AgentState;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeStartException;
import dev.hostops.node.internal.AccessRefusals;
import dev.hostops.node.store.NodeStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent whose broker login may not use its node's topics: Mosquitto with the passwd and acl
 * that {@code hostops broker acl} writes (node A started with node B's credentials, or a wrong
 * password), and a HiveMQ broker whose ACL refuses a subscription or a publish with 0x87.
 */
class BrokerPermissionsTest {
    private static final String A = "perm-a-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String B = "perm-b-" + UUID.randomUUID().toString().substring(0, 8);
    @TempDir
    static Path dir;
    private static MosquittoProcess mosquitto;
    private static Map<String, Credential> byUser;

    @BeforeAll
    static void brokerWithGeneratedAcl() throws Exception {
        AclPlan plan = new AclPlan(List.of(A, B), AclPlan.DEFAULT_DISPATCHER, AclPlan.DEFAULT_DASHBOARD, AclPlan.DEFAULT_VHOST);
        List<Credential> creds = AclFiles.newCredentials(plan);
        byUser = creds.stream().collect(Collectors.toMap(Credential::mqttUser, Function.identity()));
        Path out = dir.resolve("acl-out");
        AclFiles.write(plan, creds, out, false);
        mosquitto = MosquittoProcess.start(Files.createDirectories(dir.resolve("mosquitto")), List.of(
                "password_file " + out.resolve(AclFiles.PASSWD).toAbsolutePath(),
                "acl_file " + out.resolve(AclFiles.ACL).toAbsolutePath(),
                "allow_anonymous false"));
    }

    @AfterAll
    static void stopBroker() {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    private static BrokerUrl as(String user) {
        return mosquitto.url().withCredentials(user, byUser.get(user).password());
    }

    /**
     * Mosquitto grants the subscriptions (its ACL filters at delivery: the agent would wait for
     * commands that never come) and answers the online presence with PUBACK 0x87: the start fails
     * with the topic, the reason and what to check, and the agent never says it is online.
     */
    @Test
    void anotherNodesCredentialsStopTheStartWithAClearError() throws Exception {
        TestHost host = new TestHost(Files.createDirectories(dir.resolve("host-a")), A);
        try (Orchestrator tier2 = new Orchestrator(as(AclPlan.DEFAULT_DISPATCHER), A)) {
            NodeAgent agent = new NodeAgent(host.config(as(B), NodeStore.Durability.NORMAL));
            try {
                assertThatThrownBy(agent::start).isInstanceOf(NodeStartException.class)
                        .hasMessageContaining("node " + A + " does not start")
                        .hasMessageContaining("'hostops/v1/node/" + A + "/presence'")
                        .hasMessageContaining("0x87")
                        .hasMessageContaining("are these node " + A + "'s credentials?")
                        .hasMessageContaining("docs/SECURITY.md");
                assertThat(agent.state()).isEqualTo(AgentState.STOPPED);
            } finally {
                agent.close();
            }
            assertThat(tier2.presence).as("no online presence of A reached the broker")
                    .noneMatch(p -> p.state() == Presence.State.ONLINE);
        }
    }

    @Test
    @Timeout(60)
    void aWrongPasswordStopsTheStartAtOnceInsteadOfRetrying() throws Exception {
        TestHost host = new TestHost(Files.createDirectories(dir.resolve("host-wrong")), A);
        NodeAgent agent = new NodeAgent(host.config(mosquitto.url().withCredentials(A, "wrong"), NodeStore.Durability.NORMAL));
        try {
            long start = System.nanoTime();
            assertThatThrownBy(agent::start).isInstanceOf(NodeStartException.class)
                    .hasMessageContaining("node " + A + " does not start")
                    .hasMessageContaining("Check the user name and password");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            agent.close();
        }
    }

    /** The node's own login: online, and a command runs through the ACL'd broker end to end. */
    @Test
    void theNodesOwnCredentialsWork() throws Exception {
        TestHost host = new TestHost(Files.createDirectories(dir.resolve("host-own")), A);
        try (Orchestrator tier2 = new Orchestrator(as(AclPlan.DEFAULT_DISPATCHER), A);
             NodeAgent agent = new NodeAgent(host.config(as(A), NodeStore.Durability.NORMAL))) {
            agent.start();
            String id = UUID.randomUUID().toString();
            tier2.send(A, Exec.of(id, A, List.of("/usr/bin/true")));
            assertThat(tier2.awaitResult(id).status()).isEqualTo(CommandStatus.SUCCEEDED);
        }
    }

    /**
     * A broker that answers the SUBSCRIBE itself (HiveMQ, EMQX, RabbitMQ's MQTT plugin): SUBACK
     * 0x87 for the cmd topic fails the start, naming the topic.
     */
    @Test
    void aRefusedSubscriptionStopsTheStartNamingTheTopic() throws Exception {
        TestHost host = new TestHost(Files.createDirectories(dir.resolve("host-suback")), A);
        try (RefusingBroker broker = new RefusingBroker(Files.createDirectories(dir.resolve("hivemq-suback")))) {
            broker.refusedSubscriptions.add(Topics.cmd(A));
            NodeAgent agent = new NodeAgent(host.config(broker.url(), NodeStore.Durability.NORMAL));
            try {
                assertThatThrownBy(agent::start).isInstanceOf(NodeStartException.class)
                        .hasMessageContaining("node " + A + " does not start")
                        .hasMessageContaining("'hostops/v1/node/" + A + "/cmd'")
                        .hasMessageContaining("NOT_AUTHORIZED (MQTT reason code 0x87)")
                        .hasMessageContaining("are these node " + A + "'s credentials?");
            } finally {
                agent.close();
            }
        }
    }

    /**
     * An ACL that changes under a running agent: its results are refused (PUBACK 0x87). The agent
     * says so as an ERROR naming the topic and what to check, keeps the result in the outbox, and
     * publishes it once the broker takes it again.
     */
    @Test
    void aResultTheBrokerRefusesIsLoggedAsAnErrorAndKeptUntilItIsTaken() throws Exception {
        TestHost host = new TestHost(Files.createDirectories(dir.resolve("host-puback")), A);
        Logger logger = (Logger) LoggerFactory.getLogger(AccessRefusals.class);
        ListAppender<ILoggingEvent> errors = new ListAppender<>();
        errors.start();
        logger.addAppender(errors);
        try (RefusingBroker broker = new RefusingBroker(Files.createDirectories(dir.resolve("hivemq-puback")));
             Orchestrator tier2 = new Orchestrator(broker.url(), A);
             NodeAgent agent = new NodeAgent(host.config(broker.url(), NodeStore.Durability.NORMAL))) {
            agent.start();
            broker.refusedPublishes.add(Topics.result(A));
            String id = UUID.randomUUID().toString();
            tier2.send(A, Exec.of(id, A, List.of("/usr/bin/true")));

            Awaitility.await("the refusal is logged").atMost(Duration.ofSeconds(20)).until(() -> !errors.list.isEmpty());
            ILoggingEvent error = errors.list.get(0);
            assertThat(error.getLevel()).isEqualTo(Level.ERROR);
            assertThat(error.getFormattedMessage()).contains("'hostops/v1/node/" + A + "/result'").contains("0x87")
                    .contains("stays in the outbox").contains("are these node " + A + "'s credentials?");
            assertThat(tier2.results).doesNotContainKey(id);

            broker.refusedPublishes.clear();
            assertThat(tier2.awaitResult(id).status()).isEqualTo(CommandStatus.SUCCEEDED);
            assertThat(errors.list).as("one ERROR, not one per retry").hasSize(1);
        } finally {
            logger.detachAppender(errors);
        }
    }
}
