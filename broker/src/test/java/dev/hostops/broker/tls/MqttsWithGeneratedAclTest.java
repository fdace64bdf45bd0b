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
import dev.hostops.broker.acl.AclFiles;
import dev.hostops.broker.acl.AclPlan;
import dev.hostops.broker.acl.Credential;
import dev.hostops.broker.testing.MosquittoProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployment shape: mqtts with a private CA and the users and ACL from {@code hostops broker acl}, together. */
class MqttsWithGeneratedAclTest {
    private static final String A = "tls-a-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String B = "tls-b-" + UUID.randomUUID().toString().substring(0, 8);
    @TempDir
    static Path dir;
    private static MosquittoProcess mosquitto;
    private static Path ca;
    private static Map<String, Credential> byUser;

    @BeforeAll
    static void start() throws Exception {
        TestCa testCa = TestCa.create("hostops acl and tls CA " + UUID.randomUUID());
        ca = testCa.writeCert(dir.resolve("ca.pem"));
        Path server = testCa.server().write(dir, "server");
        AclPlan plan = new AclPlan(List.of(A, B), AclPlan.DEFAULT_DISPATCHER, AclPlan.DEFAULT_DASHBOARD, AclPlan.DEFAULT_VHOST);
        List<Credential> creds = AclFiles.newCredentials(plan);
        byUser = creds.stream().collect(Collectors.toMap(Credential::mqttUser, Function.identity()));
        Path acl = Files.createDirectories(dir.resolve("acl"));
        AclFiles.write(plan, creds, acl, false);
        // The fixture's "allow_anonymous true" comes first; these lines come later and win.
        mosquitto = MosquittoProcess.start(Files.createDirectories(dir.resolve("broker")), List.of(
                "cafile " + ca, "certfile " + server, "keyfile " + dir.resolve("server.key"),
                "allow_anonymous false",
                "password_file " + acl.resolve(AclFiles.PASSWD),
                "acl_file " + acl.resolve(AclFiles.ACL)));
    }

    @AfterAll
    static void stop() {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    void aNodeReportsOverTlsAndCannotForgeAnotherNode() throws Exception {
        List<String> results = new CopyOnWriteArrayList<>();
        try (Transport dispatcher = transport(AclPlan.DEFAULT_DISPATCHER);
             Transport nodeA = transport(A)) {
            dispatcher.subscribe("hostops/v1/node/+/result", Qos.AT_LEAST_ONCE, m -> results.add(new String(m.payload(), StandardCharsets.UTF_8)));
            dispatcher.connect().get(20, TimeUnit.SECONDS);
            nodeA.connect().get(20, TimeUnit.SECONDS);

            assertThat(nodeA.publish(OutboundMessage.reliable("hostops/v1/node/" + B + "/result", bytes("forged"))))
                    .failsWithin(Duration.ofSeconds(20)).withThrowableOfType(ExecutionException.class).withMessageContaining("0x87");
            nodeA.publish(OutboundMessage.reliable("hostops/v1/node/" + A + "/result", bytes("own"))).get(20, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(20)).until(() -> results.contains("own"));
            assertThat(results).containsExactly("own");
        }
    }

    @Test
    void tlsWithoutCredentialsIsRefused() {
        BrokerUrl url = new BrokerUrl(BrokerUrl.Scheme.MQTTS, "127.0.0.1", mosquitto.port(), null, null, null);
        try (Transport t = Transports.create(TransportOptions.builder(url, "anon-" + UUID.randomUUID())
                .tls(new TlsOptions(ca, null, null)).connectTimeout(Duration.ofSeconds(5)).build())) {
            assertThatThrownBy(() -> t.connect().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TransportException.class);
        }
    }

    private static Transport transport(String user) {
        BrokerUrl url = new BrokerUrl(BrokerUrl.Scheme.MQTTS, "127.0.0.1", mosquitto.port(), user, byUser.get(user).password(), null);
        return Transports.create(TransportOptions.builder(url, user + "-" + UUID.randomUUID())
                .tls(new TlsOptions(ca, null, null)).connectTimeout(Duration.ofSeconds(5)).build());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
