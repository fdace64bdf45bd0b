package dev.hostops.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What every {@link Transport} must do, run against real brokers. A concrete subclass per broker:
 *
 * <pre>{@code
 * class RabbitContractTest extends TransportContractSuite {
 *     @Override protected BrokerUrl brokerUrl() { return Brokers.requireAmqp(); } // may skip/fail
 *     // only when the test owns the broker process:
 *     @Override protected boolean canRestartBroker() { return true; }
 *     @Override protected void stopBroker() { ... }   // returns when it is down
 *     @Override protected void startBroker() { ... }  // returns when it accepts connections, same port
 * }
 * }</pre>
 *
 * Cases that need retained messages or a last will are skipped, with the reason, when
 * {@link Transport#capabilities()} says the transport has none (AMQP 0-9-1). Each test prints one
 * line naming the broker, so the CI log shows which brokers the suite ran on. Client ids and
 * topics are unique per test: the local brokers are shared.
 */
public abstract class TransportContractSuite {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Transport> transports = new CopyOnWriteArrayList<>();
    private final List<String> retainedToClear = new CopyOnWriteArrayList<>();
    private String prefix;
    private BrokerUrl url;

    /** The broker under test; called once per test. Skip (Assumptions) or fail here if there is none. */
    protected abstract BrokerUrl brokerUrl();

    /** A short name for the log line; the URL by default (never with a password). */
    protected String brokerName() {
        return url.toString();
    }

    /** True if {@link #stopBroker()} and {@link #startBroker()} work: the test owns the broker. */
    protected boolean canRestartBroker() {
        return false;
    }

    protected void stopBroker() {
        throw new UnsupportedOperationException("this broker cannot be restarted by the test");
    }

    protected void startBroker() {
        throw new UnsupportedOperationException("this broker cannot be restarted by the test");
    }

    /** Options for a test client; subclasses may adjust (credentials, TLS). */
    protected TransportOptions.Builder options(String clientId) {
        return TransportOptions.builder(url, clientId)
                .reconnect(Duration.ofMillis(50), Duration.ofSeconds(1))
                .connectTimeout(Duration.ofSeconds(5))
                .keepAlive(Duration.ofSeconds(10))
                .publishTimeout(Duration.ofSeconds(30));
    }

    @BeforeEach
    void announce(TestInfo info) {
        url = brokerUrl();
        prefix = "hostops-test/" + UUID.randomUUID();
        System.out.println("[transport-contract] " + getClass().getSimpleName() + "." + info.getTestMethod().map(m -> m.getName()).orElse("?")
                + " against " + brokerName());
    }

    @AfterEach
    void closeTransports() {
        if (!retainedToClear.isEmpty()) {
            try (Transport cleaner = Transports.create(options(clientId("cleaner")).build())) {
                cleaner.connect().get(10, TimeUnit.SECONDS);
                for (String topic : retainedToClear) {
                    cleaner.publish(OutboundMessage.retained(topic, new byte[0])).get(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                System.out.println("[transport-contract] could not clear retained messages: " + e);
            }
        }
        transports.forEach(Transport::close);
        transports.clear();
    }

    @Test
    void roundTrip() throws Exception {
        String topic = topic("roundtrip");
        Received got = new Received();
        Transport sub = connected(options(clientId("sub")), topic, got);
        Transport pub = connected(options(clientId("pub")));

        pub.publish(OutboundMessage.reliable(topic, bytes("hello"))).get(20, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> got.texts().contains("hello"));
        assertThat(got.messages.get(0).topic()).isEqualTo(topic);
        assertThat(sub.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void messagePublishedWhileSubscriberOfflineIsDeliveredOnReconnect() throws Exception {
        String topic = topic("offline");
        String subId = clientId("persistent");
        Received first = new Received();
        Transport sub = connected(options(subId).persistentSession(true), topic, first);
        sub.close();
        Transport pub = connected(options(clientId("pub")));

        pub.publish(OutboundMessage.reliable(topic, bytes("queued"))).get(20, TimeUnit.SECONDS);

        Received again = new Received();
        connected(options(subId).persistentSession(true), topic, again);
        await().atMost(WAIT).until(() -> again.texts().contains("queued"));
    }

    @Test
    void aDeferredHandlersMessageIsAcknowledgedOnlyWhenItsStageCompletes() throws Exception {
        String topic = topic("deferred");
        String subId = clientId("deferred");
        Received seen = new Received();
        CompletableFuture<Void> neverDone = new CompletableFuture<>();
        Transport sub = connected(options(subId).persistentSession(true), topic, MessageHandler.deferred(m -> {
            seen.onMessage(m);
            return new String(m.payload(), StandardCharsets.UTF_8).equals("done") ? CompletableFuture.completedFuture(null) : neverDone;
        }));
        Transport pub = connected(options(clientId("pub")));

        pub.publish(OutboundMessage.reliable(topic, bytes("pending-1"))).get(20, TimeUnit.SECONDS);
        pub.publish(OutboundMessage.reliable(topic, bytes("pending-2"))).get(20, TimeUnit.SECONDS);
        // Handed over, never acknowledged. (Mosquitto and RabbitMQ hand over the next message at once;
        // the embedded HiveMQ waits for the acknowledgement of the one before, so only the first is sure.)
        await().atMost(WAIT).until(() -> seen.texts().contains("pending-1"));
        sub.close();

        Received again = new Received();
        connected(options(subId).persistentSession(true), topic, again);
        // Never acknowledged, so the broker delivers them again to the same session.
        await().atMost(WAIT).until(() -> again.texts().containsAll(List.of("pending-1", "pending-2")));
    }

    /**
     * A message that reaches a subscriber while it closes is not acknowledged without being
     * handled: it is handled, or the same session gets it again. (The MQTT client acknowledges by itself a message
     * that no flow takes; closing used to let go of the flow before disconnecting, and a
     * dispatcher lost a log chunk in that window.)
     */
    @Test
    void aMessageArrivingWhileTheSubscriberClosesIsDeliveredAgainNotLost() throws Exception {
        String topic = topic("closing");
        String subId = clientId("closing");
        Received seen = new Received();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Transport sub = connected(options(subId).persistentSession(true), topic, m -> {
            seen.onMessage(m);
            if (new String(m.payload(), StandardCharsets.UTF_8).equals("blocker")) {
                try {
                    release.await(20, TimeUnit.SECONDS); // holds the handler: close() waits for it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        Transport pub = connected(options(clientId("pub")));
        pub.publish(OutboundMessage.reliable(topic, bytes("blocker"))).get(20, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> seen.texts().contains("blocker"));

        CompletableFuture<Void> closed = CompletableFuture.runAsync(sub::close);
        Thread.sleep(500); // close() is now waiting for the held handler
        pub.publish(OutboundMessage.reliable(topic, bytes("during-close"))).get(20, TimeUnit.SECONDS);
        Thread.sleep(500); // delivered to the closing subscriber, where it must not be acknowledged
        release.countDown();
        closed.get(30, TimeUnit.SECONDS);

        // Handled before the close finished (a broker that sent it at once: the handler thread takes
        // it after the held one), or delivered again to the same session; never neither.
        Received again = new Received();
        connected(options(subId).persistentSession(true), topic, again);
        await().atMost(WAIT).until(() -> seen.texts().contains("during-close") || again.texts().contains("during-close"));
    }

    @Test
    void expiredMessageIsNotDeliveredToSubscriberComingBackLater() throws Exception {
        String topic = topic("expiry");
        String subId = clientId("persistent");
        connected(options(subId).persistentSession(true), topic, new Received()).close();
        Transport pub = connected(options(clientId("pub")));

        pub.publish(OutboundMessage.reliable(topic, bytes("short-lived")).withExpiry(Duration.ofSeconds(1))).get(20, TimeUnit.SECONDS);
        pub.publish(OutboundMessage.reliable(topic, bytes("durable"))).get(20, TimeUnit.SECONDS);
        Instant expired = Instant.now().plusMillis(2500); // MQTT expiry has whole seconds: leave a margin
        await().atMost(WAIT).until(() -> Instant.now().isAfter(expired));

        Received back = new Received();
        connected(options(subId).persistentSession(true), topic, back);
        await().atMost(WAIT).until(() -> back.texts().contains("durable"));
        assertThat(back.texts()).doesNotContain("short-lived");
    }

    @Test
    void retainedPresenceIsDeliveredToNewSubscriber() throws Exception {
        String topic = topic("presence");
        Transport pub = connected(options(clientId("node")));
        Assumptions.assumeTrue(pub.capabilities().retainedMessages(),
                "skipped: " + url.scheme() + " has no retained messages (AMQP 0-9-1 keeps presence by heartbeats)");
        retainedToClear.add(topic);

        pub.publish(OutboundMessage.retained(topic, bytes("online"))).get(20, TimeUnit.SECONDS);

        Received late = new Received();
        connected(options(clientId("dashboard")), topic, late);
        await().atMost(WAIT).until(() -> late.texts().contains("online"));
        assertThat(late.messages.get(0).retained()).isTrue();
    }

    @Test
    void lastWillIsPublishedWhenTheConnectionIsLost() throws Exception {
        String topic = topic("presence");
        Received watcher = new Received();
        Transport watch = connected(options(clientId("watcher")), topic, watcher);
        Assumptions.assumeTrue(watch.capabilities().lastWill(),
                "skipped: " + url.scheme() + " has no last will (AMQP 0-9-1 detects offline nodes by missed heartbeats)");
        retainedToClear.add(topic);
        Transport node = connected(options(clientId("node")).will(OutboundMessage.retained(topic, bytes("offline"))));

        node.simulateConnectionLoss();

        await().atMost(WAIT).until(() -> watcher.texts().contains("offline"));
        // the will was retained, as asked: a dashboard that starts later still sees the node offline
        Received late = new Received();
        connected(options(clientId("late")), topic, late);
        await().atMost(WAIT).until(() -> late.texts().contains("offline"));
        // and the node comes back by itself
        await().atMost(WAIT).until(() -> node.state() == ConnectionState.CONNECTED);
    }

    @Test
    void cleanCloseDoesNotPublishTheLastWill() throws Exception {
        String topic = topic("presence");
        Transport node = connected(options(clientId("node")).will(OutboundMessage.reliable(topic, bytes("offline"))));
        Assumptions.assumeTrue(node.capabilities().lastWill(), "skipped: " + url.scheme() + " has no last will");
        Received watcher = new Received();
        Transport watch = connected(options(clientId("watcher")), topic, watcher);

        node.close();
        Transport pub = connected(options(clientId("marker")));
        pub.publish(OutboundMessage.reliable(topic, bytes("marker"))).get(20, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> watcher.texts().contains("marker"));
        assertThat(watcher.texts()).doesNotContain("offline");
        assertThat(node.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(watch.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void messagesOnOneTopicArriveInOrder() throws Exception {
        String topic = topic("order");
        Received got = new Received();
        connected(options(clientId("sub")), topic, got);
        Transport pub = connected(options(clientId("pub")));

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sent.add(pub.publish(OutboundMessage.reliable(topic, bytes(Integer.toString(i)))));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(60)).until(() -> got.messages.size() >= 1000);
        assertThat(got.texts()).containsExactlyElementsOf(IntStream.range(0, 1000).mapToObj(Integer::toString).toList());
    }

    @Test
    void overlappingFiltersGiveEachHandlerTheMessageOnce() throws Exception {
        Received all = new Received();
        Received results = new Received();
        Transport sub = Transports.create(options(clientId("sub")).build());
        transports.add(sub);
        CompletableFuture<Void> a = sub.subscribe(topic("node") + "/+/#", Qos.AT_LEAST_ONCE, all);
        CompletableFuture<Void> b = sub.subscribe(topic("node") + "/+/result", Qos.AT_LEAST_ONCE, results);
        sub.connect().get(20, TimeUnit.SECONDS);
        CompletableFuture.allOf(a, b).get(20, TimeUnit.SECONDS);
        Transport pub = connected(options(clientId("pub")));

        pub.publish(OutboundMessage.reliable(topic("node") + "/n1/log", bytes("log"))).get(20, TimeUnit.SECONDS);
        pub.publish(OutboundMessage.reliable(topic("node") + "/n1/result", bytes("result"))).get(20, TimeUnit.SECONDS);
        pub.publish(OutboundMessage.reliable(topic("node") + "/n1/log", bytes("end"))).get(20, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> all.texts().contains("end"));
        assertThat(all.texts()).containsExactly("log", "result", "end");
        assertThat(results.texts()).containsExactly("result");
    }

    @Test
    void subscribingToOthersLeavesOutOwnPublicationsWhereTheBrokerCan() throws Exception {
        String filter = topic("others") + "/#";
        Received others = new Received();
        Transport self = Transports.create(options(clientId("self")).build());
        transports.add(self);
        CompletableFuture<Void> subscribed = self.subscribeToOthers(filter, Qos.AT_LEAST_ONCE, others);
        self.connect().get(20, TimeUnit.SECONDS);
        subscribed.get(20, TimeUnit.SECONDS);
        Transport peer = connected(options(clientId("peer")));

        // Each waits for the broker's acknowledgement, so the broker routes them in this order.
        self.publish(OutboundMessage.reliable(topic("others") + "/a", bytes("own"))).get(20, TimeUnit.SECONDS);
        peer.publish(OutboundMessage.reliable(topic("others") + "/b", bytes("theirs"))).get(20, TimeUnit.SECONDS);
        self.publish(OutboundMessage.reliable(topic("others") + "/a", bytes("own again"))).get(20, TimeUnit.SECONDS);
        peer.publish(OutboundMessage.reliable(topic("others") + "/b", bytes("last"))).get(20, TimeUnit.SECONDS);

        if (self.capabilities().noLocal()) {
            await().atMost(WAIT).until(() -> others.texts().contains("last"));
            assertThat(others.texts()).containsExactly("theirs", "last");
        } else {
            // RabbitMQ has no no-local: the subscriber gets its own messages and must tell them apart.
            await().atMost(WAIT).until(() -> others.texts().size() == 4);
            assertThat(others.texts()).containsExactlyInAnyOrder("own", "theirs", "own again", "last");
        }
    }

    @Test
    void afterClosingEveryCallFails() throws Exception {
        Transport t = connected(options(clientId("closing")));
        t.close();
        t.close(); // idempotent

        assertThat(t.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(t.publish(OutboundMessage.reliable(topic("x"), bytes("x")))).failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(TransportException.class).withMessageContaining("transport closed");
        assertThat(t.subscribe(topic("x"), Qos.AT_LEAST_ONCE, m -> { })).failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(TransportException.class);
    }

    @Test
    void reconnectsAndResubscribesAfterBrokerRestartWithoutLosingMessages() throws Exception {
        Assumptions.assumeTrue(canRestartBroker(), "skipped: this test does not own " + brokerName() + ", so it cannot restart it");
        String topic = topic("restart");
        Received durable = new Received();
        Received clean = new Received();
        Transport durableSub = connected(options(clientId("durable")).persistentSession(true), topic, durable);
        Transport cleanSub = connected(options(clientId("clean")), topic, clean);
        Transport pub = connected(options(clientId("pub")).persistentSession(true));
        pub.publish(OutboundMessage.reliable(topic, bytes("before"))).get(20, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> durable.texts().contains("before") && clean.texts().contains("before"));

        stopBroker();
        await().atMost(WAIT).until(() -> pub.state() == ConnectionState.RECONNECTING
                && durableSub.state() == ConnectionState.RECONNECTING && cleanSub.state() == ConnectionState.RECONNECTING);
        List<CompletableFuture<Void>> during = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            during.add(pub.publish(OutboundMessage.reliable(topic, bytes("during-" + i))));
        }
        assertThat(during).noneMatch(CompletableFuture::isDone); // no PUBACK without a broker
        startBroker();

        CompletableFuture.allOf(during.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < 20; i++) {
            pub.publish(OutboundMessage.reliable(topic, bytes("after-" + i))).get(20, TimeUnit.SECONDS);
        }
        Set<String> expected = new java.util.HashSet<>();
        IntStream.range(0, 20).forEach(i -> {
            expected.add("during-" + i);
            expected.add("after-" + i);
        });
        // The persistent subscriber's session kept the subscription: it gets every message.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(durable.texts()).containsAll(expected));
        // The clean-session subscriber lost its subscription with the broker: it must have subscribed again.
        await().atMost(WAIT).untilAsserted(() -> {
            pub.publish(OutboundMessage.reliable(topic, bytes("probe"))).get(20, TimeUnit.SECONDS);
            assertThat(clean.texts()).contains("probe");
        });
    }

    // ---- helpers --------------------------------------------------------------------------

    /** Collects what a subscription receives, in arrival order. */
    protected static final class Received implements MessageHandler {
        final List<InboundMessage> messages = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(InboundMessage message) {
            messages.add(message);
        }

        List<String> texts() {
            return messages.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
        }
    }

    protected String topic(String name) {
        return prefix + "/" + name;
    }

    protected String clientId(String role) {
        return "hostops-test-" + role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected Transport connected(TransportOptions.Builder options) throws Exception {
        Transport t = Transports.create(options.build());
        transports.add(t);
        t.connect().get(20, TimeUnit.SECONDS);
        return t;
    }

    /** Subscribes before connecting, so a persistent session's queued messages find the handler. */
    protected Transport connected(TransportOptions.Builder options, String filter, MessageHandler handler) throws Exception {
        Transport t = Transports.create(options.build());
        transports.add(t);
        CompletableFuture<Void> subscribed = t.subscribe(filter, Qos.AT_LEAST_ONCE, handler);
        t.connect().get(20, TimeUnit.SECONDS);
        subscribed.get(20, TimeUnit.SECONDS);
        return t;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
