package dev.hostops.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.hostops.broker.internal.amqp.AmqpTransport;
import dev.hostops.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AMQP-specific behaviour of {@link AmqpTransport} against the real RabbitMQ on 127.0.0.1:5672:
 * the durable per-client queue, publisher confirms, TTL, ordering, interop with plain AMQP routing
 * keys, and no loss across connection drops. The behaviour every transport shares is in the
 * transport contract suite.
 */
class AmqpTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private AmqpTestBroker broker;
    private final List<Transport> transports = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() {
        broker = AmqpTestBroker.require();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Transport t : transports) {
            t.close();
        }
        for (String q : queues) {
            broker.deleteQueue(q);
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        broker.close();
    }

    // ---- the client queue -----------------------------------------------------------------

    @Test
    void persistentSessionQueueKeepsMessagesWhileTheClientIsOffline() throws Exception {
        String node = node();
        String clientId = AmqpTestBroker.uniqueId("node");
        Transport first = transport(AmqpTestBroker.options(clientId).persistentSession(true).build());
        first.connect().get(10, TimeUnit.SECONDS);
        first.subscribe(Topics.cmd(node), Qos.AT_LEAST_ONCE, m -> { }).get(10, TimeUnit.SECONDS);
        first.close();

        Transport sender = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("dispatcher")).build());
        for (int i = 0; i < 3; i++) {
            sender.publish(OutboundMessage.reliable(Topics.cmd(node), ("offline-" + i).getBytes(UTF_8))).get(10, TimeUnit.SECONDS);
        }
        assertThat(broker.messageCount(AmqpTransport.QUEUE_PREFIX + clientId)).isEqualTo(3);

        Inbox inbox = new Inbox();
        Transport again = transport(AmqpTestBroker.options(clientId).persistentSession(true).build());
        again.subscribe(Topics.cmd(node), Qos.AT_LEAST_ONCE, inbox);
        again.connect().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> inbox.texts().size() == 3);
        assertThat(inbox.texts()).containsExactly("offline-0", "offline-1", "offline-2");
    }

    @Test
    void cleanSessionQueueIsExclusiveAndGoesAwayWithTheClient() throws Exception {
        String clientId = AmqpTestBroker.uniqueId("watcher");
        Transport t = connected(AmqpTestBroker.options(clientId).build());
        t.subscribe(Topics.allNodes(Topics.Kind.RESULT), Qos.AT_LEAST_ONCE, m -> { }).get(10, TimeUnit.SECONDS);
        String queue = AmqpTransport.QUEUE_PREFIX + clientId;
        assertThat(broker.passiveDeclareError(queue)).contains("RESOURCE_LOCKED").contains("exclusive");
        t.close();
        await().atMost(WAIT).until(() -> String.valueOf(broker.passiveDeclareError(queue)).contains("NOT_FOUND"));
    }

    // ---- publishing -------------------------------------------------------------------------

    @Test
    void aConfirmedPublishIsAlreadyInTheQueueAndPersistent() throws Exception {
        String queue = rawQueue("hostops.v1.node.*.result");
        String node = node();
        Transport t = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).build());

        t.publish(OutboundMessage.reliable(Topics.result(node), "r".getBytes(UTF_8))).get(10, TimeUnit.SECONDS);

        // No waiting: the confirm means the broker has routed (and, persistent, stored) it.
        assertThat(broker.messageCount(queue)).isEqualTo(1);
        try (Channel ch = broker.channel()) {
            GetResponse got = ch.basicGet(queue, true);
            assertThat(got.getEnvelope().getExchange()).isEqualTo("amq.topic");
            assertThat(got.getEnvelope().getRoutingKey()).isEqualTo("hostops.v1.node." + node + ".result");
            assertThat(got.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(new String(got.getBody(), UTF_8)).isEqualTo("r");
        }
    }

    @Test
    void qosZeroIsTransientAndExpiryBecomesTheTtl() throws Exception {
        String queue = rawQueue("hostops.v1.node.*.log");
        String node = node();
        Transport t = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).build());

        t.publish(new OutboundMessage(Topics.log(node), "l".getBytes(UTF_8), Qos.AT_MOST_ONCE, false, Duration.ofMinutes(5)))
                .get(10, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> broker.messageCount(queue) == 1);
        try (Channel ch = broker.channel()) {
            AMQP.BasicProperties props = ch.basicGet(queue, true).getProps();
            assertThat(props.getDeliveryMode()).isEqualTo(1);
            assertThat(props.getExpiration()).isEqualTo("300000");
        }
    }

    @Test
    void anExpiredMessageIsNeverDeliveredToTheOfflineClient() throws Exception {
        String node = node();
        String clientId = AmqpTestBroker.uniqueId("node");
        Transport first = transport(AmqpTestBroker.options(clientId).persistentSession(true).build());
        first.connect().get(10, TimeUnit.SECONDS);
        first.subscribe(Topics.cmd(node), Qos.AT_LEAST_ONCE, m -> { }).get(10, TimeUnit.SECONDS);
        first.close();
        String queue = AmqpTransport.QUEUE_PREFIX + clientId;

        Transport sender = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("dispatcher")).build());
        sender.publish(OutboundMessage.reliable(Topics.cmd(node), "stale".getBytes(UTF_8)).withExpiry(Duration.ofMillis(300)))
                .get(10, TimeUnit.SECONDS);
        sender.publish(OutboundMessage.reliable(Topics.cmd(node), "fresh".getBytes(UTF_8)).withExpiry(Duration.ofHours(1)))
                .get(10, TimeUnit.SECONDS);
        assertThat(broker.messageCount(queue)).isEqualTo(2);
        // RabbitMQ drops an expired message at the head of the queue by itself.
        await().atMost(WAIT).until(() -> broker.messageCount(queue) == 1);

        Inbox inbox = new Inbox();
        Transport again = transport(AmqpTestBroker.options(clientId).persistentSession(true).build());
        again.subscribe(Topics.cmd(node), Qos.AT_LEAST_ONCE, inbox);
        again.connect().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> !inbox.texts().isEmpty());
        sender.publish(OutboundMessage.reliable(Topics.cmd(node), "marker".getBytes(UTF_8))).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> inbox.texts().contains("marker"));
        assertThat(inbox.texts()).containsExactly("fresh", "marker");
    }

    @Test
    void messagesArriveInPublishOrder() throws Exception {
        String node = node();
        Inbox inbox = new Inbox();
        Transport receiver = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).prefetch(16).build());
        receiver.subscribe(Topics.log(node), Qos.AT_LEAST_ONCE, inbox).get(10, TimeUnit.SECONDS);
        Transport sender = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).build());

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            sent.add(sender.publish(OutboundMessage.reliable(Topics.log(node), Integer.toString(i).getBytes(UTF_8))));
        }
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> inbox.texts().size() == 500);
        assertThat(inbox.texts()).containsExactlyElementsOf(numbers(0, 500));
    }

    @Test
    void aPublishTheBrokerNeverConfirmsFailsAfterThePublishTimeout() throws Exception {
        AmqpTestProxy proxy = proxy();
        Transport t = connected(TransportOptions.builder(proxy.url(), AmqpTestBroker.uniqueId("node"))
                .publishTimeout(Duration.ofMillis(500)).build());
        proxy.swallowing(true);

        CompletableFuture<Void> f = t.publish(OutboundMessage.reliable(Topics.result(node()), "x".getBytes(UTF_8)));

        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransportException.class).hasMessageContaining("did not confirm");
    }

    // ---- interop with plain AMQP clients --------------------------------------------------

    @Test
    void aPlainAmqpPublishReachesAnMqttWildcardSubscription() throws Exception {
        String node = node();
        Inbox inbox = new Inbox();
        Transport t = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).build());
        t.subscribe("hostops/v1/node/+/cmd", Qos.AT_LEAST_ONCE, inbox).get(10, TimeUnit.SECONDS);

        try (Channel ch = broker.channel()) {
            ch.basicPublish("amq.topic", "hostops.v1.node." + node + ".cmd", null, "plain".getBytes(UTF_8));
            ch.basicPublish("amq.topic", "hostops.v1.node." + node + ".result", null, "other kind".getBytes(UTF_8));
        }

        await().atMost(WAIT).until(() -> !inbox.messages.isEmpty());
        InboundMessage m = inbox.messages.get(0);
        assertThat(m.topic()).isEqualTo("hostops/v1/node/" + node + "/cmd");
        assertThat(new String(m.payload(), UTF_8)).isEqualTo("plain");
        assertThat(m.retained()).isFalse();
    }

    @Test
    void handlersGetTheMessagesTheirFilterMatchesAndAFailingHandlerBlocksNothing() throws Exception {
        String node = node();
        Inbox all = new Inbox();
        Inbox cmdOnly = new Inbox();
        Transport t = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).build());
        t.subscribe("hostops/v1/node/" + node + "/#", Qos.AT_LEAST_ONCE, all).get(10, TimeUnit.SECONDS);
        t.subscribe("hostops/v1/node/+/cmd", Qos.AT_LEAST_ONCE, cmdOnly).get(10, TimeUnit.SECONDS);
        t.subscribe("hostops/v1/node/" + node + "/cmd", Qos.AT_LEAST_ONCE, m -> {
            throw new IllegalStateException("a buggy handler");
        }).get(10, TimeUnit.SECONDS);
        Transport sender = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).build());

        sender.publish(OutboundMessage.reliable(Topics.cmd(node), "1".getBytes(UTF_8))).get(10, TimeUnit.SECONDS);
        sender.publish(OutboundMessage.reliable(Topics.state(node), "2".getBytes(UTF_8))).get(10, TimeUnit.SECONDS);
        sender.publish(OutboundMessage.retained(Topics.cmd(node), "3".getBytes(UTF_8))).get(10, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> all.texts().size() == 3 && cmdOnly.texts().size() == 2);
        assertThat(all.texts()).containsExactly("1", "2", "3");
        assertThat(cmdOnly.texts()).containsExactly("1", "3");
        assertThat(t.capabilities()).isEqualTo(new TransportCapabilities(false, false, false));
    }

    // ---- connection loss ----------------------------------------------------------------------

    @Test
    void afterASimulatedLossTheTransportReconnectsAndStillReceives() throws Exception {
        String node = node();
        Inbox inbox = new Inbox();
        Transport receiver = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).persistentSession(true).build());
        queues.add(((AmqpTransport) receiver).queueName());
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        receiver.addListener((from, to, cause) -> states.add(to));
        receiver.subscribe(Topics.cmd(node), Qos.AT_LEAST_ONCE, inbox).get(10, TimeUnit.SECONDS);
        Transport sender = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("dispatcher")).build());

        receiver.simulateConnectionLoss();
        await().atMost(WAIT).until(() -> states.contains(ConnectionState.RECONNECTING));
        sender.publish(OutboundMessage.reliable(Topics.cmd(node), "after".getBytes(UTF_8))).get(10, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> inbox.texts().contains("after"));
        assertThat(states).containsSubsequence(ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
        assertThat(receiver.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void noConfirmedPublishIsLostWhenThePublishersConnectionDropsMidStream() throws Exception {
        String node = node();
        Inbox inbox = new Inbox();
        Transport receiver = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).build());
        receiver.subscribe(Topics.log(node), Qos.AT_LEAST_ONCE, inbox).get(10, TimeUnit.SECONDS);
        Transport sender = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).build());

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            sent.add(sender.publish(OutboundMessage.reliable(Topics.log(node), Integer.toString(i).getBytes(UTF_8))));
            if (i == 700) {
                sender.simulateConnectionLoss();
            }
        }
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> inbox.distinctTexts().size() == 2000);
        assertThat(inbox.distinctTexts()).containsAll(numbers(0, 2000));
    }

    @Test
    void publishesSentButNotConfirmedWhenTheConnectionDropsAreSentAgain() throws Exception {
        String node = node();
        AmqpTestProxy proxy = proxy();
        Inbox inbox = new Inbox();
        Transport receiver = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).build());
        receiver.subscribe(Topics.log(node), Qos.AT_LEAST_ONCE, inbox).get(10, TimeUnit.SECONDS);
        Transport sender = connected(TransportOptions.builder(proxy.url(), AmqpTestBroker.uniqueId("node"))
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(200)).build());
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add(sender.publish(OutboundMessage.reliable(Topics.log(node), Integer.toString(i).getBytes(UTF_8))));
        }
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);

        proxy.swallowing(true); // written to the socket, never reaching the broker: no confirm
        for (int i = 100; i < 200; i++) {
            sent.add(sender.publish(OutboundMessage.reliable(Topics.log(node), Integer.toString(i).getBytes(UTF_8))));
        }
        assertThat(sent.subList(100, 200)).noneMatch(CompletableFuture::isDone);
        proxy.cutAll();
        proxy.swallowing(false);

        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> inbox.distinctTexts().size() == 200);
        assertThat(inbox.texts()).containsExactlyElementsOf(numbers(0, 200));
    }

    @Test
    void publishesMadeWhileTheBrokerIsUnreachableGoOutAfterTheReconnect() throws Exception {
        String node = node();
        AmqpTestProxy proxy = proxy();
        Inbox inbox = new Inbox();
        Transport receiver = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).build());
        receiver.subscribe(Topics.result(node), Qos.AT_LEAST_ONCE, inbox).get(10, TimeUnit.SECONDS);
        Transport sender = connected(TransportOptions.builder(proxy.url(), AmqpTestBroker.uniqueId("node"))
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(200)).build());

        proxy.accepting(false);
        proxy.cutAll();
        await().atMost(WAIT).until(() -> sender.state() == ConnectionState.RECONNECTING);
        List<CompletableFuture<Void>> sent = IntStream.range(0, 50)
                .mapToObj(i -> sender.publish(OutboundMessage.reliable(Topics.result(node), Integer.toString(i).getBytes(UTF_8))))
                .collect(Collectors.toList());
        assertThat(sent).noneMatch(CompletableFuture::isDone);

        proxy.accepting(true);
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> inbox.texts().size() >= 50);
        assertThat(inbox.texts()).containsExactlyElementsOf(numbers(0, 50));
        assertThat(sender.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void aConnectionClosedByTheBrokerIsReestablished() throws Exception {
        String node = node();
        Inbox inbox = new Inbox();
        AmqpTransport receiver = (AmqpTransport) connected(
                AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).persistentSession(true).build());
        queues.add(receiver.queueName());
        receiver.subscribe(Topics.control(node), Qos.AT_LEAST_ONCE, inbox).get(10, TimeUnit.SECONDS);
        int firstPort = receiver.localPort();

        AmqpTestBroker.closeConnectionFromBroker(firstPort);

        await().atMost(WAIT).until(() -> receiver.state() == ConnectionState.CONNECTED && receiver.localPort() != firstPort);
        Transport sender = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("dispatcher")).build());
        sender.publish(OutboundMessage.reliable(Topics.control(node), "still here".getBytes(UTF_8))).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> inbox.texts().contains("still here"));
    }

    // ---- lifecycle ------------------------------------------------------------------------

    @Test
    void afterCloseEveryCallFailsAndCloseIsIdempotent() throws Exception {
        Transport t = connected(AmqpTestBroker.options(AmqpTestBroker.uniqueId("node")).build());
        List<ConnectionState> states = new CopyOnWriteArrayList<>();
        t.addListener((from, to, cause) -> states.add(to));
        t.close();
        t.close();

        assertThat(t.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(states).containsExactly(ConnectionState.CLOSED);
        assertClosed(t.connect());
        assertClosed(t.publish(OutboundMessage.reliable(Topics.cmd(node()), new byte[0])));
        assertClosed(t.subscribe(Topics.cmd(node()), Qos.AT_LEAST_ONCE, m -> { }));
        assertThatThrownBy(t::simulateConnectionLoss).isInstanceOf(TransportException.class).hasMessage("transport closed");
    }

    @Test
    void wrongCredentialsFailTheFirstConnectAndCloseTheTransport() {
        BrokerUrl url = AmqpTestBroker.url().withCredentials("hostops-nobody", "wrong");
        Transport t = transport(TransportOptions.builder(url, AmqpTestBroker.uniqueId("node")).build());

        assertThatThrownBy(() -> t.connect().get(20, TimeUnit.SECONDS))
                .cause().isInstanceOf(TransportException.class).hasMessageContaining("refused the credentials")
                .hasMessageNotContaining("wrong");
        assertThat(t.state()).isEqualTo(ConnectionState.CLOSED);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static void assertClosed(CompletableFuture<Void> f) {
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(TransportException.class).hasMessage("transport closed");
    }

    private Transport transport(TransportOptions options) {
        Transport t = Transports.create(options);
        transports.add(t);
        if (options.persistentSession()) {
            queues.add(AmqpTransport.QUEUE_PREFIX + options.clientId());
        }
        return t;
    }

    private Transport connected(TransportOptions options) throws Exception {
        Transport t = transport(options);
        t.connect().get(10, TimeUnit.SECONDS);
        return t;
    }

    private AmqpTestProxy proxy() throws Exception {
        AmqpTestProxy p = new AmqpTestProxy(AmqpTestBroker.HOST, AmqpTestBroker.PORT);
        closeables.add(0, p);
        return p;
    }

    /** A plain durable queue bound to amq.topic, to see exactly what the transport published. */
    private String rawQueue(String bindingKey) throws Exception {
        String queue = AmqpTestBroker.uniqueId("hostops.test");
        try (Channel ch = broker.channel()) {
            ch.queueDeclare(queue, true, false, false, null);
            ch.queueBind(queue, "amq.topic", bindingKey);
        }
        queues.add(queue);
        return queue;
    }

    private static String node() {
        return "n" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 12);
    }

    private static List<String> numbers(int from, int to) {
        return IntStream.range(from, to).mapToObj(Integer::toString).collect(Collectors.toList());
    }

    /** Collects what a subscription receives. */
    private static final class Inbox implements MessageHandler {
        final List<InboundMessage> messages = new CopyOnWriteArrayList<>();
        private final Set<String> distinct = ConcurrentHashMap.newKeySet();

        @Override
        public void onMessage(InboundMessage message) {
            messages.add(message);
            distinct.add(new String(message.payload(), UTF_8));
        }

        List<String> texts() {
            return messages.stream().map(m -> new String(m.payload(), UTF_8)).collect(Collectors.toList());
        }

        Set<String> distinctTexts() {
            return distinct;
        }
    }
}
