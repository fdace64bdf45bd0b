package dev.hostops.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hostops.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The project's RabbitMQ files ({@code broker/config/rabbitmq}) on a private node: the config
 * loads, the definitions give the dispatcher and a node exactly the routing keys they need, and
 * the AMQP transport turns a refused routing key into a failed publish or subscription without
 * losing its connection for good.
 */
class AmqpRabbitConfigTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NODE = "HostOps-Win"; // the example node user in definitions.json
    private static AmqpRabbitProcess rabbit;

    private final List<Transport> transports = new ArrayList<>();

    @BeforeAll
    static void startRabbit() throws Exception {
        rabbit = AmqpRabbitProcess.start();
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
    void theConfigurationIsWhatTheFilesSay() throws Exception {
        assertThat(rabbit.ctl("eval", "application:get_env(rabbit, tcp_listen_options).")).contains("{nodelay,true}");
        assertThat(rabbit.ctl("eval", "application:get_env(rabbit, heartbeat).")).contains("{ok,30}");
        assertThat(rabbit.ctl("list_vhosts", "-s")).contains("hostops");
        assertThat(rabbit.ctl("list_users", "-s")).contains("hostops-dispatcher", "hostops-node-" + NODE).doesNotContain("guest");
    }

    @Test
    void aNodeMayReadItsCommandsAndWriteItsReportsAndNothingElse() throws Exception {
        Transport node = connected(rabbit.url("hostops-node-" + NODE, "change-me-node"), "hostops-node-" + NODE, true);
        List<String> got = new CopyOnWriteArrayList<>();

        node.subscribe(Topics.cmd(NODE), Qos.AT_LEAST_ONCE, m -> got.add(m.topic())).get(10, TimeUnit.SECONDS);
        node.publish(OutboundMessage.reliable(Topics.result(NODE), bytes("ok"))).get(10, TimeUnit.SECONDS);

        assertRefused(node.subscribe(Topics.cmd("Other"), Qos.AT_LEAST_ONCE, m -> { }), "hostops.v1.node.Other.cmd");
        assertRefused(node.publish(OutboundMessage.reliable(Topics.cmd("Other"), bytes("x"))), "hostops.v1.node.Other.cmd");
        // The refusal cost a channel, not the transport: it goes on with what it may do.
        node.publish(OutboundMessage.reliable(Topics.state(NODE), bytes("running"))).get(20, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> node.state() == ConnectionState.CONNECTED);
        rabbit.ctl("delete_queue", "-p", "hostops", "hostops.client.hostops-node-" + NODE);
    }

    @Test
    void theDispatcherSendsCommandsAndReadsEveryNodesResults() throws Exception {
        Transport dispatcher = connected(rabbit.url("hostops-dispatcher", "change-me-dispatcher"),
                "dispatcher-" + UUID.randomUUID(), false);
        Transport node = connected(rabbit.url("hostops-node-" + NODE, "change-me-node"), "hostops-node-" + NODE, false);
        List<String> results = new CopyOnWriteArrayList<>();
        List<String> commands = new CopyOnWriteArrayList<>();
        dispatcher.subscribe(Topics.allNodes(Topics.Kind.RESULT), Qos.AT_LEAST_ONCE, m -> results.add(text(m))).get(10, TimeUnit.SECONDS);
        node.subscribe(Topics.cmd(NODE), Qos.AT_LEAST_ONCE, m -> {
            commands.add(text(m));
            node.publish(OutboundMessage.reliable(Topics.result(NODE), bytes("done:" + text(m))));
        }).get(10, TimeUnit.SECONDS);

        dispatcher.publish(OutboundMessage.reliable(Topics.cmd(NODE), bytes("git fetch"))).get(10, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> results.contains("done:git fetch"));
        assertThat(commands).containsExactly("git fetch");
        assertRefused(dispatcher.publish(OutboundMessage.reliable(Topics.result(NODE), bytes("forged"))),
                "hostops.v1.node." + NODE + ".result");
    }

    @Test
    void theDispatcherUserMayOnlyUseQueuesNamedForADispatcher() throws Exception {
        Transport wrong = connected(rabbit.url("hostops-dispatcher", "change-me-dispatcher"), "not-a-dispatcher", false);

        assertRefused(wrong.subscribe(Topics.allNodes(Topics.Kind.RESULT), Qos.AT_LEAST_ONCE, m -> { }),
                "hostops.client.not-a-dispatcher");
    }

    @Test
    void theGuestUserDoesNotExist() {
        Transport guest = Transports.create(TransportOptions.builder(rabbit.url("guest", "guest"), "guest-probe").build());
        transports.add(guest);

        assertThatThrownBy(() -> guest.connect().get(20, TimeUnit.SECONDS))
                .cause().isInstanceOf(TransportException.class).hasMessageContaining("refused the credentials");
    }

    private Transport connected(BrokerUrl url, String clientId, boolean persistent) throws Exception {
        Transport t = Transports.create(TransportOptions.builder(url, clientId).persistentSession(persistent)
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(500)).build());
        transports.add(t);
        t.connect().get(20, TimeUnit.SECONDS);
        return t;
    }

    private static void assertRefused(java.util.concurrent.CompletableFuture<Void> f, String key) {
        assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransportException.class)
                .hasMessageContaining("refused").hasMessageContaining("'" + key + "'");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static String text(InboundMessage m) {
        return new String(m.payload(), UTF_8);
    }
}
