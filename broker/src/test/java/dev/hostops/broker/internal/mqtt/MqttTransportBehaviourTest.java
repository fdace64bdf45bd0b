package dev.hostops.broker.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hostops.broker.ConnectionState;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.SessionTakenOverException;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportException;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import dev.hostops.broker.testing.MosquittoProcess;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MQTT-specific behaviour of {@link MqttTransport}, against a Mosquitto this test owns (it stops it in one case). */
class MqttTransportBehaviourTest {
    @TempDir
    static Path dir;
    private static MosquittoProcess mosquitto;
    private final List<Transport> transports = new CopyOnWriteArrayList<>();
    private final String prefix = "hostops-test/" + UUID.randomUUID();

    @BeforeAll
    static void start() {
        mosquitto = MosquittoProcess.start(dir);
    }

    @AfterAll
    static void stop() {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @AfterEach
    void close() {
        transports.forEach(Transport::close);
        mosquitto.start(); // in case a test stopped it
    }

    @Test
    void socketsHaveTcpNoDelay() {
        // The HiveMQ client sets no socket options and has no API for them: its sockets are channels
        // of this factory (internal, but public) with Netty's defaults, which include TCP_NODELAY.
        io.netty.channel.Channel channel = com.hivemq.client.internal.netty.NettyEventLoopProvider.INSTANCE
                .getChannelFactory().newChannel();
        try {
            assertThat(channel.config().getOption(io.netty.channel.ChannelOption.TCP_NODELAY)).isTrue();
        } finally {
            channel.unsafe().closeForcibly();
        }
    }

    /**
     * Two clients with one client id: the broker hands the session to whichever connected last.
     * From the second loss on, each says why (SessionTakenOverException) and doubles the wait
     * before taking the session back (1 s, 2 s, 4 s...).
     */
    @Test
    void twoClientsWithOneClientIdSayItAndTakeTheSessionBackEverMoreSlowly() throws Exception {
        String clientId = "twin-" + UUID.randomUUID();
        List<List<Throwable>> causes = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        for (List<Throwable> lost : causes) {
            Transport t = Transports.create(TransportOptions.builder(mosquitto.url(), clientId).build());
            transports.add(t);
            t.addListener((previous, current, cause) -> {
                if (current == ConnectionState.RECONNECTING) {
                    lost.add(cause);
                }
            });
            t.connect().get(10, TimeUnit.SECONDS);
        }
        long start = System.nanoTime();
        await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true); // a period to count in
        long ms = (System.nanoTime() - start) / 1_000_000;

        int total = causes.get(0).size() + causes.get(1).size();
        assertThat(total).as("takeovers in %d ms", ms).isBetween(3, 8);
        for (List<Throwable> lost : causes) {
            // Mosquitto 2.0.11 closes the older connection without a DISCONNECT: the first such close
            // looks like a restart, the next ones are called what they are.
            assertThat(lost.subList(1, lost.size())).allSatisfy(c -> assertThat(c).isInstanceOf(SessionTakenOverException.class)
                    .hasMessageContaining("client id '" + clientId + "'"));
        }
    }

    @Test
    void listenersSeeEveryStateChange() throws Exception {
        Transport t = transport(options("states"));
        List<String> changes = new CopyOnWriteArrayList<>();
        t.addListener((from, to, cause) -> changes.add(from + ">" + to));
        t.connect().get(20, TimeUnit.SECONDS);

        t.simulateConnectionLoss();
        await().atMost(Duration.ofSeconds(20)).until(() -> changes.contains("RECONNECTING>CONNECTED"));
        t.close();

        assertThat(changes).containsExactly("NEW>CONNECTING", "CONNECTING>CONNECTED", "CONNECTED>RECONNECTING",
                "RECONNECTING>CONNECTED", "CONNECTED>CLOSED");
    }

    @Test
    void aFailedFirstConnectFailsAndClosesTheTransport() throws Exception {
        int nothingListens;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            nothingListens = s.getLocalPort();
        }
        Transport t = transport(TransportOptions.builder(
                dev.hostops.broker.BrokerUrl.parse("mqtt://127.0.0.1:" + nothingListens), "nobody-" + UUID.randomUUID())
                .connectTimeout(Duration.ofSeconds(2)).build());

        assertThat(t.connect()).failsWithin(Duration.ofSeconds(20))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(TransportException.class)
                .withMessageContaining("cannot connect to mqtt://127.0.0.1:" + nothingListens);
        assertThat(t.state()).isEqualTo(ConnectionState.CLOSED);
        // the dispatcher makes a new transport after each failed first attempt: none may leave threads
        await().atMost(Duration.ofSeconds(10)).until(() -> threadsOf(t.options().clientId()).isEmpty());
    }

    @Test
    void aBrokerThatNeverAnswersTimesOutTheConnect() throws Exception {
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0)); // accepts TCP (backlog), never speaks MQTT
            Transport t = transport(TransportOptions.builder(
                    dev.hostops.broker.BrokerUrl.parse("mqtt://127.0.0.1:" + silent.getLocalPort()), "silent-" + UUID.randomUUID())
                    .connectTimeout(Duration.ofSeconds(1)).build());

            assertThat(t.connect()).failsWithin(Duration.ofSeconds(20))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(TransportException.class);
        }
    }

    @Test
    void aPublishWithoutAcknowledgementFailsAfterThePublishTimeout() throws Exception {
        Transport t = transport(options("timeout").publishTimeout(Duration.ofMillis(500)));
        t.connect().get(20, TimeUnit.SECONDS);
        mosquitto.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> t.state() == ConnectionState.RECONNECTING);

        assertThat(t.publish(OutboundMessage.reliable(prefix + "/t", bytes("lost?")))).failsWithin(Duration.ofSeconds(20))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(TransportException.class)
                .withMessageContaining("not acknowledged by the broker within PT0.5S");
    }

    @Test
    void aFailingHandlerDoesNotStopTheSubscription() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        Transport sub = transport(options("sub"));
        sub.subscribe(prefix + "/h", Qos.AT_LEAST_ONCE, m -> {
            String text = new String(m.payload(), StandardCharsets.UTF_8);
            got.add(text);
            if (text.equals("bad")) {
                throw new IllegalStateException("handler failure on purpose");
            }
        });
        sub.connect().get(20, TimeUnit.SECONDS);
        Transport pub = connected("pub");

        pub.publish(OutboundMessage.reliable(prefix + "/h", bytes("bad"))).get(20, TimeUnit.SECONDS);
        pub.publish(OutboundMessage.reliable(prefix + "/h", bytes("good"))).get(20, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).until(() -> got.contains("good"));
        assertThat(got).containsExactly("bad", "good");
    }

    @Test
    void aHandlerMayPublishAndWaitForTheAcknowledgement() throws Exception {
        // a node agent handler publishes "delivered" and waits for its PUBACK before returning
        Transport node = transport(options("node"));
        node.subscribe(prefix + "/cmd", Qos.AT_LEAST_ONCE,
                m -> node.publish(OutboundMessage.reliable(prefix + "/state", m.payload())).get(10, TimeUnit.SECONDS));
        node.connect().get(20, TimeUnit.SECONDS);
        List<String> states = new CopyOnWriteArrayList<>();
        Transport dispatcher = transport(options("dispatcher"));
        dispatcher.subscribe(prefix + "/state", Qos.AT_LEAST_ONCE, m -> states.add(new String(m.payload(), StandardCharsets.UTF_8)));
        dispatcher.connect().get(20, TimeUnit.SECONDS);

        for (int i = 0; i < 5; i++) {
            dispatcher.publish(OutboundMessage.reliable(prefix + "/cmd", bytes("c" + i))).get(20, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> states.size() == 5);
        assertThat(states).containsExactly("c0", "c1", "c2", "c3", "c4");
    }

    @Test
    void aMessageIsAcknowledgedOnlyAfterItsHandlerReturned() throws Exception {
        // The connection drops while the handler runs: the ack cannot go out, so the broker
        // delivers the message again on the resumed session. Acked on arrival, it would be gone.
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<dev.hostops.broker.InboundMessage> got = new CopyOnWriteArrayList<>();
        Transport sub = transport(options("slow").persistentSession(true));
        sub.subscribe(prefix + "/slow", Qos.AT_LEAST_ONCE, m -> {
            got.add(m);
            if (got.size() == 1) {
                release.await(20, TimeUnit.SECONDS);
            }
        });
        sub.connect().get(20, TimeUnit.SECONDS);
        Transport pub = connected("pub");

        pub.publish(OutboundMessage.reliable(prefix + "/slow", bytes("once"))).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 1);
        sub.simulateConnectionLoss();
        await().atMost(Duration.ofSeconds(20)).until(() -> sub.state() == ConnectionState.CONNECTED);
        release.countDown();

        await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 2);
        assertThat(new String(got.get(1).payload(), StandardCharsets.UTF_8)).isEqualTo("once");
        // (redelivered() stays false: the HiveMQ client does not pass the DUP flag on to the message)
    }

    @Test
    void theOfflineBufferIsBoundedAndDrainsAfterTheReconnect() throws Exception {
        Transport t = transport(options("buffer").publishTimeout(Duration.ofSeconds(60)));
        t.connect().get(20, TimeUnit.SECONDS);
        mosquitto.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> t.state() == ConnectionState.RECONNECTING);

        List<java.util.concurrent.CompletableFuture<Void>> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            waiting.add(t.publish(OutboundMessage.reliable(prefix + "/buffer", bytes(Integer.toString(i)))));
        }
        assertThat(t.publish(OutboundMessage.reliable(prefix + "/buffer", bytes("one too many"))))
                .failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(TransportException.class)
                .withMessageContaining("10000 messages are already waiting");
        mosquitto.start();

        java.util.concurrent.CompletableFuture.allOf(waiting.toArray(java.util.concurrent.CompletableFuture[]::new))
                .get(60, TimeUnit.SECONDS);
    }

    @Test
    void wildcardFiltersRouteToTheMatchingHandlers() throws Exception {
        List<String> all = new CopyOnWriteArrayList<>();
        List<String> results = new CopyOnWriteArrayList<>();
        Transport sub = transport(options("sub"));
        sub.subscribe(prefix + "/node/+/#", Qos.AT_LEAST_ONCE, m -> all.add(m.topic()));
        sub.subscribe(prefix + "/node/+/result", Qos.AT_LEAST_ONCE, m -> results.add(m.topic()));
        sub.connect().get(20, TimeUnit.SECONDS);
        Transport pub = connected("pub");

        pub.publish(OutboundMessage.reliable(prefix + "/node/a/log", bytes("x"))).get(20, TimeUnit.SECONDS);
        pub.publish(OutboundMessage.reliable(prefix + "/node/a/result", bytes("x"))).get(20, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).until(() -> all.size() == 2 && results.size() == 1);
        assertThat(results).containsExactly(prefix + "/node/a/result");
    }

    @Test
    void aWiderFilterAfterANarrowerOneTakesOverWithoutDuplicates() throws Exception {
        // Mosquitto sends one copy per matching subscription; the narrower one must be gone at the broker.
        List<String> results = new CopyOnWriteArrayList<>();
        List<String> all = new CopyOnWriteArrayList<>();
        Transport sub = connected("widening");
        sub.subscribe(prefix + "/node/+/result", Qos.AT_LEAST_ONCE, m -> results.add(text(m))).get(20, TimeUnit.SECONDS);
        sub.subscribe(prefix + "/node/#", Qos.AT_LEAST_ONCE, m -> all.add(text(m))).get(20, TimeUnit.SECONDS);
        Transport pub = connected("pub");

        pub.publish(OutboundMessage.reliable(prefix + "/node/a/result", bytes("r"))).get(20, TimeUnit.SECONDS);
        pub.publish(OutboundMessage.reliable(prefix + "/node/a/log", bytes("end"))).get(20, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).until(() -> all.contains("end"));
        assertThat(all).containsExactly("r", "end");
        assertThat(results).containsExactly("r");
    }

    @Test
    void aBurstWhileTheHandlerIsSlowDoesNotCostTheConnection() throws Exception {
        // Mosquitto 2.0 sends more unacknowledged messages than the client's Receive Maximum once some
        // have queued up; the client drops the connection when it sees that, unless it offers enough.
        int n = 2000;
        List<String> got = new CopyOnWriteArrayList<>();
        Transport sub = transport(options("slow-sub"));
        List<String> changes = new CopyOnWriteArrayList<>();
        sub.addListener((from, to, cause) -> changes.add(from + ">" + to));
        sub.subscribe(prefix + "/burst", Qos.AT_LEAST_ONCE, m -> {
            got.add(text(m));
            if (got.size() % 100 == 0) {
                Thread.sleep(20); // a slow moment, so messages queue up at the broker
            }
        });
        sub.connect().get(20, TimeUnit.SECONDS);
        Transport pub = connected("pub");

        List<java.util.concurrent.CompletableFuture<Void>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(pub.publish(OutboundMessage.reliable(prefix + "/burst", bytes(Integer.toString(i)))));
        }
        java.util.concurrent.CompletableFuture.allOf(sent.toArray(java.util.concurrent.CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(60)).until(() -> got.size() >= n);
        assertThat(got).containsExactlyElementsOf(java.util.stream.IntStream.range(0, n).mapToObj(Integer::toString).toList());
        assertThat(changes).containsExactly("NEW>CONNECTING", "CONNECTING>CONNECTED");
    }

    @Test
    void aClosedTransportLeavesNoThreadBehind() throws Exception {
        // Three threads while it lives (I/O, its own, handlers). A persistent session and a publish the
        // client still holds must not keep any of them alive after close().
        String id = "hostops-test-threads-" + UUID.randomUUID().toString().substring(0, 8);
        Transport t = transport(TransportOptions.builder(mosquitto.url(), id).persistentSession(true)
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(500)).build());
        t.subscribe(prefix + "/threads", Qos.AT_LEAST_ONCE, m -> { });
        t.connect().get(20, TimeUnit.SECONDS);
        t.publish(OutboundMessage.reliable(prefix + "/threads", bytes("x"))).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> threadsOf(id).size() == 3);
        mosquitto.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> t.state() == ConnectionState.RECONNECTING);
        t.publish(OutboundMessage.reliable(prefix + "/threads", bytes("held")));

        t.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> threadsOf(id).isEmpty());
    }

    @Test
    void anInvalidFilterIsRefused() {
        Transport t = transport(options("filter"));
        assertThat(t.subscribe("a/#/b", Qos.AT_LEAST_ONCE, m -> { })).failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(TransportException.class);
    }

    private TransportOptions.Builder options(String role) {
        return TransportOptions.builder(mosquitto.url(), "hostops-test-" + role + "-" + UUID.randomUUID().toString().substring(0, 8))
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    private Transport transport(TransportOptions.Builder options) {
        return transport(options.build());
    }

    private Transport transport(TransportOptions options) {
        Transport t = Transports.create(options);
        transports.add(t);
        return t;
    }

    private Transport connected(String role) throws Exception {
        Transport t = transport(options(role));
        t.connect().get(20, TimeUnit.SECONDS);
        return t;
    }

    private static List<String> threadsOf(String clientId) {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("hostops-mqtt-") && n.endsWith("-" + clientId)).toList();
    }

    private static String text(dev.hostops.broker.InboundMessage m) {
        return new String(m.payload(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
