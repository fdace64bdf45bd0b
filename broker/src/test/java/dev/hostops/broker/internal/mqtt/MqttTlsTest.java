package dev.hostops.broker.internal.mqtt;

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
import java.io.IOException;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mqtts:// with PEM files: a CA, a server certificate for 127.0.0.1 and a client certificate made
 * with openssl, Mosquitto requiring client certificates. Proves the PEM loading, the trust and key
 * managers the HiveMQ client gets, and hostname verification.
 */
class MqttTlsTest {
    @TempDir
    static Path dir;
    private static MosquittoProcess mosquitto;

    @BeforeAll
    static void startTlsMosquitto() throws Exception {
        Path openssl = Path.of("/usr/bin/openssl");
        // openssl is a tool, not a broker: without it this is a skip even when brokers are required
        Assumptions.assumeTrue(Files.isExecutable(openssl), "no /usr/bin/openssl to make test certificates");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=hostops test CA",
                "-keyout", "ca.key", "-out", "ca.pem");
        issue("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        issue("client", "/CN=node-a", "extendedKeyUsage=clientAuth");
        mosquitto = MosquittoProcess.start(dir.resolve("mosquitto"), List.of(
                "cafile " + dir.resolve("ca.pem"),
                "certfile " + dir.resolve("server.pem"),
                "keyfile " + dir.resolve("server.key"),
                "require_certificate true"));
    }

    @AfterAll
    static void stop() {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    void roundTripOverTlsWithClientCertificate() throws Exception {
        TlsOptions tls = new TlsOptions(dir.resolve("ca.pem"), dir.resolve("client.pem"), dir.resolve("client.key"));
        String topic = "hostops-test/" + UUID.randomUUID() + "/tls";
        List<String> got = new CopyOnWriteArrayList<>();
        try (Transport t = Transports.create(options(tls))) {
            t.subscribe(topic, Qos.AT_LEAST_ONCE, m -> got.add(new String(m.payload(), StandardCharsets.UTF_8)));
            t.connect().get(20, TimeUnit.SECONDS);
            t.publish(OutboundMessage.reliable(topic, "secret".getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> got.contains("secret"));
        }
    }

    @Test
    void withoutClientCertificateTheBrokerRefuses() {
        TlsOptions caOnly = new TlsOptions(dir.resolve("ca.pem"), null, null);
        try (Transport t = Transports.create(options(caOnly))) {
            assertThatThrownBy(() -> t.connect().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TransportException.class);
        }
    }

    @Test
    void anUntrustedServerIsRefused() {
        // the JDK's default trust store does not know the test CA
        try (Transport t = Transports.create(options(TlsOptions.systemDefault()))) {
            assertThatThrownBy(() -> t.connect().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TransportException.class);
        }
    }

    @Test
    void aKeyThatIsNotPkcs8IsExplained() throws IOException {
        Path rsaKey = dir.resolve("traditional.key");
        Files.writeString(rsaKey, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        TlsOptions tls = new TlsOptions(dir.resolve("ca.pem"), dir.resolve("client.pem"), rsaKey);
        assertThat(Transports.create(options(tls)).connect())
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .withMessageContaining("openssl pkcs8 -topk8");
    }

    private static TransportOptions options(TlsOptions tls) {
        BrokerUrl url = new BrokerUrl(BrokerUrl.Scheme.MQTTS, "127.0.0.1", mosquitto.port(), null, null, null);
        return TransportOptions.builder(url, "tls-" + UUID.randomUUID()).tls(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static void issue(String name, String subject, String extension) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", name + ".key", "-out", name + ".csr");
        Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
