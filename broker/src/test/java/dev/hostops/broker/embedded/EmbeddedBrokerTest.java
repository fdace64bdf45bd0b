package dev.hostops.broker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hostops.broker.InboundMessage;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import dev.hostops.broker.testing.Probes;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {
    @TempDir
    Path dir;

    @Test
    void startAndStopAreIdempotentAndStopReleasesThePort() {
        EmbeddedBroker broker = EmbeddedBroker.inDirectory(dir);
        try {
            broker.start();
            broker.start();
            int port = broker.port();
            assertThat(broker.url().toString()).isEqualTo("mqtt://127.0.0.1:" + port);
            assertThat(Probes.answers("127.0.0.1", port)).isTrue();
            System.out.println("[embedded-broker] started in " + broker.lastStartDuration().toMillis() + " ms");

            broker.stop();
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            assertThat(Probes.answers("127.0.0.1", port)).isFalse();

            broker.start();
            assertThat(broker.port()).isEqualTo(port);
            assertThat(Probes.answers("127.0.0.1", port)).isTrue();
        } finally {
            broker.stop();
        }
    }

    /** HiveMQ's own default keeps 1,000 messages for an offline client and drops the rest; ours keeps 10,000. */
    @Test
    void anOfflineClientGetsEveryOneOfThousandsOfQueuedMessages() throws Exception {
        String topic = "hostops-test/" + UUID.randomUUID();
        int queued = 3000;
        EmbeddedBroker broker = EmbeddedBroker.inDirectory(dir);
        try {
            broker.start();
            TransportOptions durable = TransportOptions.builder(broker.url(), "offline-" + UUID.randomUUID())
                    .persistentSession(true).build();
            try (Transport sub = Transports.create(durable)) {
                var subscribed = sub.subscribe(topic, Qos.AT_LEAST_ONCE, m -> { });
                sub.connect().get(20, TimeUnit.SECONDS);
                subscribed.get(20, TimeUnit.SECONDS);
            }
            try (Transport pub = Transports.create(TransportOptions.builder(broker.url(), "pub-" + UUID.randomUUID()).build())) {
                pub.connect().get(20, TimeUnit.SECONDS);
                for (int i = 0; i < queued; i++) {
                    pub.publish(OutboundMessage.reliable(topic, bytes(Integer.toString(i)))).get(20, TimeUnit.SECONDS);
                }
            }

            List<String> got = new CopyOnWriteArrayList<>();
            try (Transport sub = Transports.create(durable)) {
                sub.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add(new String(m.payload(), StandardCharsets.UTF_8)));
                sub.connect().get(20, TimeUnit.SECONDS);
                await("every queued message").atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(got).hasSizeGreaterThanOrEqualTo(queued));
            }
            assertThat(got).hasSize(queued).first().isEqualTo("0");
            assertThat(got.get(queued - 1)).isEqualTo(Integer.toString(queued - 1));
        } finally {
            broker.stop();
        }
    }

    @Test
    void retainedMessagesAndPersistentSessionsSurviveARestart() throws Exception {
        String topic = "hostops-test/" + UUID.randomUUID();
        EmbeddedBroker broker = EmbeddedBroker.inDirectory(dir);
        try {
            broker.start();
            TransportOptions durable = TransportOptions.builder(broker.url(), "durable-" + UUID.randomUUID())
                    .persistentSession(true).reconnect(Duration.ofMillis(50), Duration.ofMillis(500)).build();
            try (Transport sub = Transports.create(durable)) {
                var subscribed = sub.subscribe(topic + "/queued", Qos.AT_LEAST_ONCE, m -> { });
                sub.connect().get(20, TimeUnit.SECONDS);
                subscribed.get(20, TimeUnit.SECONDS);
            }
            try (Transport pub = Transports.create(TransportOptions.builder(broker.url(), "pub-" + UUID.randomUUID()).build())) {
                pub.connect().get(20, TimeUnit.SECONDS);
                pub.publish(OutboundMessage.retained(topic + "/presence", bytes("online"))).get(20, TimeUnit.SECONDS);
                pub.publish(OutboundMessage.reliable(topic + "/queued", bytes("waiting"))).get(20, TimeUnit.SECONDS);
            }

            broker.stop();
            broker.start();

            List<InboundMessage> got = new CopyOnWriteArrayList<>();
            try (Transport sub = Transports.create(durable);
                    Transport late = Transports.create(TransportOptions.builder(broker.url(), "late-" + UUID.randomUUID()).build())) {
                sub.subscribe(topic + "/queued", Qos.AT_LEAST_ONCE, got::add);
                sub.connect().get(20, TimeUnit.SECONDS);
                late.subscribe(topic + "/presence", Qos.AT_LEAST_ONCE, got::add);
                late.connect().get(20, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(got.stream()
                        .map(m -> new String(m.payload(), StandardCharsets.UTF_8))).contains("waiting", "online"));
            }
        } finally {
            broker.stop();
        }
    }

    @Test
    void aTakenPortIsReportedWithTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBrokerOptions(dir, taken.getLocalPort(), null));
            try {
                // From the docs walkthrough: the reason was "null" (HiveMQ's exception has no message).
                assertThatThrownBy(broker::start).hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                        .hasMessageContaining("already in use").hasMessageContaining("choose another port")
                        .hasMessageNotContaining("null");
                assertThat(broker.isRunning()).isFalse();
            } finally {
                broker.stop();
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
