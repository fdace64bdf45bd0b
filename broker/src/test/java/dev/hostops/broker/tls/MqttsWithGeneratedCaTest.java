package dev.hostops.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.TlsOptions;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportException;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import dev.hostops.broker.testing.MosquittoProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mqtts:// against the real Mosquitto with certificates from a CA generated in the test (no
 * openssl needed): one listener that only proves the server, one that also requires a client
 * certificate. The transport is the project's, configured with {@code TlsOptions(ca, cert, key)}.
 */
class MqttsWithGeneratedCaTest {
    @TempDir
    static Path dir;
    private static MosquittoProcess serverAuth;
    private static MosquittoProcess mutual;
    private static Path ca;
    private static Path otherCa;
    private static Path clientCert;

    @BeforeAll
    static void start() throws Exception {
        TestCa testCa = TestCa.create("hostops test CA " + UUID.randomUUID());
        ca = testCa.writeCert(dir.resolve("ca.pem"));
        otherCa = TestCa.create("some other CA").writeCert(dir.resolve("other-ca.pem"));
        Path server = testCa.server().write(dir, "server");
        clientCert = testCa.client("node-a").write(dir, "client");
        List<String> tls = List.of("cafile " + ca, "certfile " + server, "keyfile " + dir.resolve("server.key"));
        serverAuth = MosquittoProcess.start(Files.createDirectories(dir.resolve("server-auth")), tls);
        mutual = MosquittoProcess.start(Files.createDirectories(dir.resolve("mutual")),
                concat(tls, "require_certificate true"));
    }

    @AfterAll
    static void stop() {
        if (serverAuth != null) {
            serverAuth.close();
        }
        if (mutual != null) {
            mutual.close();
        }
    }

    @Test
    void roundTripTrustingTheGeneratedCa() throws Exception {
        roundTrip(serverAuth, new TlsOptions(ca, null, null));
    }

    @Test
    void roundTripWithAClientCertificateWhereTheBrokerRequiresOne() throws Exception {
        roundTrip(mutual, new TlsOptions(ca, clientCert, dir.resolve("client.key")));
    }

    @Test
    void withoutAClientCertificateTheMutualListenerRefuses() {
        try (Transport t = Transports.create(options(mutual, new TlsOptions(ca, null, null)))) {
            assertThatThrownBy(() -> t.connect().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TransportException.class);
        }
    }

    @Test
    void aServerSignedByAnotherCaIsRefusedWithAClearError() {
        try (Transport t = Transports.create(options(serverAuth, new TlsOptions(otherCa, null, null)))) {
            assertThatThrownBy(() -> t.connect().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TransportException.class)
                    .satisfies(e -> System.out.println("[tls] wrong CA reported as: " + e.getMessage()))
                    .hasMessageContaining("127.0.0.1:" + serverAuth.port())
                    .hasMessageContaining("certification path");
        }
    }

    @Test
    void plainMqttToATlsListenerFails() {
        BrokerUrl url = new BrokerUrl(BrokerUrl.Scheme.MQTT, "127.0.0.1", serverAuth.port(), null, null, null);
        try (Transport t = Transports.create(TransportOptions.builder(url, "plain-" + UUID.randomUUID())
                .connectTimeout(Duration.ofSeconds(5)).build())) {
            assertThatThrownBy(() -> t.connect().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TransportException.class);
        }
    }

    private static void roundTrip(MosquittoProcess broker, TlsOptions tls) throws Exception {
        String topic = "hostops-test/" + UUID.randomUUID() + "/tls";
        List<String> got = new CopyOnWriteArrayList<>();
        try (Transport t = Transports.create(options(broker, tls))) {
            t.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add(new String(m.payload(), StandardCharsets.UTF_8)));
            t.connect().get(20, TimeUnit.SECONDS);
            t.publish(OutboundMessage.reliable(topic, "over-tls".getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> got.contains("over-tls"));
        }
        assertThat(got).containsExactly("over-tls");
    }

    private static TransportOptions options(MosquittoProcess broker, TlsOptions tls) {
        BrokerUrl url = new BrokerUrl(BrokerUrl.Scheme.MQTTS, "127.0.0.1", broker.port(), null, null, null);
        return TransportOptions.builder(url, "tls-" + UUID.randomUUID()).tls(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.add(b);
        return out;
    }
}
