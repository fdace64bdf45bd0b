package dev.hostops.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hostops.broker.testing.Requirement;
import dev.hostops.contracts.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code amqps://} against a private RabbitMQ with the project's config plus its commented TLS
 * block switched on (certificates made with openssl, client certificates required): proves the
 * PEM loading, the TLS socket with hostname verification, and that the wrong trust or no client
 * certificate is refused.
 */
class AmqpTlsTest {
    private static final String NODE = "HostOps-Win";

    @TempDir
    static Path dir;
    private static AmqpRabbitProcess rabbit;
    private static int tlsPort;

    private final List<Transport> transports = new ArrayList<>();

    @BeforeAll
    static void startTlsRabbit() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            Requirement.missing("no openssl to make test certificates");
        }
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=hostops test CA",
                "-keyout", "ca.key", "-out", "ca.pem");
        issue("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        issue("client", "/CN=" + NODE, "extendedKeyUsage=clientAuth");
        try (ServerSocket s = new ServerSocket(0)) {
            tlsPort = s.getLocalPort();
        }
        rabbit = AmqpRabbitProcess.start(
                Map.of("ca.pem", dir.resolve("ca.pem"), "server.pem", dir.resolve("server.pem"), "server.key", dir.resolve("server.key")),
                List.of("listeners.ssl.default = 127.0.0.1:" + tlsPort,
                        "ssl_options.cacertfile = ${dir}/ca.pem",
                        "ssl_options.certfile = ${dir}/server.pem",
                        "ssl_options.keyfile = ${dir}/server.key",
                        "ssl_options.verify = verify_peer",
                        "ssl_options.fail_if_no_peer_cert = true"));
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
    void aCommandTravelsOverAmqpsWithClientCertificates() throws Exception {
        TlsOptions tls = new TlsOptions(dir.resolve("ca.pem"), dir.resolve("client.pem"), dir.resolve("client.key"));
        Transport node = connect(url("hostops-node-" + NODE, "change-me-node"), "hostops-node-" + NODE, tls); // the agent's client id
        Transport dispatcher = connect(url("hostops-dispatcher", "change-me-dispatcher"), "dispatcher-" + UUID.randomUUID(), tls);
        List<String> got = new CopyOnWriteArrayList<>();
        node.subscribe(Topics.cmd(NODE), Qos.AT_LEAST_ONCE, m -> got.add(new String(m.payload(), UTF_8))).get(20, TimeUnit.SECONDS);

        dispatcher.publish(OutboundMessage.reliable(Topics.cmd(NODE), "over tls".getBytes(UTF_8))).get(20, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).until(() -> got.contains("over tls"));
    }

    @Test
    void anUntrustedServerIsRefused() {
        Transport t = create(url("hostops-node-" + NODE, "change-me-node"), NODE, TlsOptions.systemDefault());
        assertThatThrownBy(() -> t.connect().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TransportException.class);
    }

    @Test
    void withoutAClientCertificateTheBrokerRefuses() {
        Transport t = create(url("hostops-node-" + NODE, "change-me-node"), NODE, new TlsOptions(dir.resolve("ca.pem"), null, null));
        assertThatThrownBy(() -> t.connect().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TransportException.class);
    }

    private static BrokerUrl url(String user, String password) {
        return BrokerUrl.parse("amqps://" + user + ":" + password + "@127.0.0.1:" + tlsPort + "/hostops");
    }

    private Transport create(BrokerUrl url, String clientId, TlsOptions tls) {
        Transport t = Transports.create(TransportOptions.builder(url, clientId).tls(tls).connectTimeout(Duration.ofSeconds(5)).build());
        transports.add(t);
        return t;
    }

    private Transport connect(BrokerUrl url, String clientId, TlsOptions tls) throws Exception {
        Transport t = create(url, clientId, tls);
        t.connect().get(20, TimeUnit.SECONDS);
        return t;
    }

    private static void issue(String name, String subject, String extension) throws Exception {
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", name + ".key", "-out", name + ".csr");
        Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
