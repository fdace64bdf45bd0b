package dev.hostops.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hostops.broker.acl.AclFiles;
import dev.hostops.broker.acl.AclPlan;
import dev.hostops.broker.acl.Credential;
import dev.hostops.contracts.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the definitions {@code hostops broker acl} generates into a private RabbitMQ node (never
 * the shared one) with {@code rabbitmqctl import_definitions}, in a vhost of their own, and checks
 * with the AMQP transport that node A cannot bind B's commands or publish B's result, and that the
 * dashboard cannot publish at all.
 */
class GeneratedAclRabbitTest {
    private static final String A = "A" + UUID.randomUUID().toString().substring(0, 8);
    private static final String B = "B" + UUID.randomUUID().toString().substring(0, 8);
    private static final String VHOST = "hostops-acl-" + UUID.randomUUID();
    @TempDir
    static Path dir;
    private static AmqpRabbitProcess rabbit;
    private static Map<String, Credential> byUser;
    private final List<Transport> transports = new ArrayList<>();

    @BeforeAll
    static void importGenerated() throws Exception {
        AclPlan plan = new AclPlan(List.of(A, B), AclPlan.DEFAULT_DISPATCHER, AclPlan.DEFAULT_DASHBOARD, VHOST);
        List<Credential> creds = AclFiles.newCredentials(plan);
        byUser = creds.stream().collect(Collectors.toMap(Credential::amqpUser, Function.identity()));
        AclFiles.write(plan, creds, dir, false);
        rabbit = AmqpRabbitProcess.start();
        // The node reads the file itself (as the rabbitmq user), so it gets a readable copy for a moment.
        Path shared = Files.createTempDirectory("hostops-acl-defs-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path defs = Files.copy(dir.resolve(AclFiles.DEFINITIONS), shared.resolve(AclFiles.DEFINITIONS));
        Files.setPosixFilePermissions(defs, PosixFilePermissions.fromString("rw-r--r--"));
        try {
            rabbit.ctl("import_definitions", defs.toString());
        } finally {
            Files.delete(defs);
            Files.delete(shared);
        }
    }

    @AfterAll
    static void stopRabbit() throws Exception {
        if (rabbit != null) {
            rabbit.close();
        }
    }

    @AfterEach
    void closeTransports() {
        transports.forEach(Transport::close);
    }

    @Test
    void nodeAReadsOwnCommandsWritesOwnResultAndNothingOfB() throws Exception {
        Transport dispatcher = connect(AclPlan.DEFAULT_DISPATCHER, "dispatcher-" + UUID.randomUUID());
        Transport nodeA = connect(AclPlan.amqpUser(A), "hostops-node-" + A); // the agent's client id (NodeConfig.clientId)
        List<String> aGot = new CopyOnWriteArrayList<>();
        List<String> results = new CopyOnWriteArrayList<>();
        nodeA.subscribe(Topics.cmd(A), Qos.AT_LEAST_ONCE, m -> aGot.add(text(m))).get(20, TimeUnit.SECONDS);
        dispatcher.subscribe(Topics.allNodes(Topics.Kind.RESULT), Qos.AT_LEAST_ONCE, m -> results.add(text(m))).get(20, TimeUnit.SECONDS);

        dispatcher.publish(OutboundMessage.reliable(Topics.cmd(A), bytes("for-a"))).get(20, TimeUnit.SECONDS);
        nodeA.publish(OutboundMessage.reliable(Topics.result(A), bytes("own-result"))).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> aGot.contains("for-a") && results.contains("own-result"));

        refused(nodeA.subscribe(Topics.cmd(B), Qos.AT_LEAST_ONCE, m -> aGot.add("LEAK " + text(m))));
        refused(nodeA.publish(OutboundMessage.reliable(Topics.result(B), bytes("forged"))));
        // A refusal closes a channel; the transport carries on. Then B's command must not reach A.
        await().atMost(Duration.ofSeconds(20)).until(() -> nodeA.state() == ConnectionState.CONNECTED);
        dispatcher.publish(OutboundMessage.reliable(Topics.cmd(B), bytes("for-b"))).get(20, TimeUnit.SECONDS);
        dispatcher.publish(OutboundMessage.reliable(Topics.cmd(A), bytes("for-a-2"))).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> aGot.contains("for-a-2"));
        assertThat(aGot).containsExactly("for-a", "for-a-2");
        assertThat(results).containsExactly("own-result");
    }

    /** As the node agent connects: client id {@code hostops-node-<id>} (NodeConfig.clientId), a durable queue. */
    @Test
    void theNodeAgentsOwnLoginGetsItsQueueAndCommands() throws Exception {
        String user = AclPlan.amqpUser(A);
        BrokerUrl url = vhost(rabbit.url(user, byUser.get(user).password()));
        Transport agent = Transports.create(TransportOptions.builder(url, "hostops-node-" + A).persistentSession(true).build());
        transports.add(agent);
        CompletableFuture<Void> subscribed = agent.subscribe(Topics.cmd(A), Qos.AT_LEAST_ONCE, m -> { });
        agent.connect().get(20, TimeUnit.SECONDS);
        subscribed.get(20, TimeUnit.SECONDS);
        agent.close();
        // Durable: it would stay and clash with the other tests' exclusive queue of the same name.
        rabbit.ctl("delete_queue", "-p", VHOST, "hostops.client.hostops-node-" + A);
    }

    @Test
    void theDashboardReadsButCannotPublish() throws Exception {
        Transport dashboard = connect(AclPlan.DEFAULT_DASHBOARD, "dashboard-" + UUID.randomUUID());
        dashboard.subscribe(Topics.allNodes(Topics.Kind.STATE), Qos.AT_LEAST_ONCE, m -> { }).get(20, TimeUnit.SECONDS);
        refused(dashboard.publish(OutboundMessage.reliable(Topics.cmd(A), bytes("dashboard-cmd"))));
    }

    @Test
    void aWrongPasswordIsRefused() {
        BrokerUrl url = rabbit.url(AclPlan.amqpUser(A), "wrong").withCredentials(AclPlan.amqpUser(A), "wrong");
        Transport t = Transports.create(TransportOptions.builder(vhost(url), A).build());
        transports.add(t);
        assertThatThrownBy(() -> t.connect().get(20, TimeUnit.SECONDS)).cause().isInstanceOf(AccessRefusedException.class);
    }

    private Transport connect(String user, String clientId) throws Exception {
        BrokerUrl url = vhost(rabbit.url(user, byUser.get(user).password()));
        Transport t = Transports.create(TransportOptions.builder(url, clientId).build());
        transports.add(t);
        t.connect().get(20, TimeUnit.SECONDS);
        return t;
    }

    private static BrokerUrl vhost(BrokerUrl u) {
        return new BrokerUrl(u.scheme(), u.host(), u.port(), u.username(), u.password(), VHOST);
    }

    private static void refused(CompletableFuture<Void> f) {
        assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AccessRefusedException.class).hasMessageContaining("ACCESS_REFUSED");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static String text(InboundMessage m) {
        return new String(m.payload(), UTF_8);
    }
}
