package dev.hostops.broker;

import static dev.hostops.broker.testing.AclProbe.connect;
import static dev.hostops.broker.testing.AclProbe.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hostops.broker.testing.AclProbe;
import dev.hostops.broker.testing.AclProbe.Inbox;
import dev.hostops.broker.testing.MosquittoProcess;
import dev.hostops.broker.testing.Probes;
import dev.hostops.broker.testing.Requirement;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code mosquitto} with the production files of broker/config/mosquitto (only
 * ports and file locations changed) and checks that it accepts them and that the ACL gives each
 * role what the README says.
 */
class MosquittoProductionConfigTest {
    @TempDir
    static Path dir;
    private static Process mosquitto;
    private static int mqttPort;
    private static int wsPort;
    private final List<Transport> transports = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startWithProductionConfig() throws Exception {
        Path binary = MosquittoProcess.binary().orElseGet(() -> Requirement.missing("no mosquitto binary"));
        Path passwdTool = binary.resolveSibling("../bin/mosquitto_passwd").normalize();
        if (!Files.isExecutable(passwdTool)) {
            passwdTool = Path.of("/usr/bin/mosquitto_passwd");
        }
        if (!Files.isExecutable(passwdTool)) {
            Requirement.missing("no mosquitto_passwd next to " + binary);
        }
        Path config = MosquittoProcess.projectConfig().orElseThrow();
        Path acl = config.resolveSibling("acl");
        Path passwd = dir.resolve("passwd");
        for (String user : List.of("hostops-dispatcher", "hostops-dashboard", "node-a", "node-b")) {
            if (Files.exists(passwd)) {
                run(passwdTool.toString(), "-b", passwd.toString(), user, "pw-" + user);
            } else {
                run(passwdTool.toString(), "-c", "-b", passwd.toString(), user, "pw-" + user);
            }
        }
        mqttPort = freePort();
        wsPort = freePort();
        String conf = Files.readString(config)
                .replace("listener 1883", "listener " + mqttPort + " 127.0.0.1")
                .replace("listener 9001", "listener " + wsPort + " 127.0.0.1")
                .replace("/mosquitto/data/", dir.toAbsolutePath() + "/")
                .replace("/mosquitto/config/passwd", passwd.toAbsolutePath().toString())
                .replace("/mosquitto/config/acl", acl.toAbsolutePath().toString())
                + "\nuser " + System.getProperty("user.name") + "\n";
        Path confFile = dir.resolve("mosquitto.conf");
        Files.writeString(confFile, conf);
        mosquitto = new ProcessBuilder(binary.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        await("mosquitto with the production config").atMost(Duration.ofSeconds(20))
                .failFast("mosquitto refused the production config: " + dir.resolve("mosquitto.log"), () -> !mosquitto.isAlive())
                .until(() -> Probes.answers("127.0.0.1", mqttPort));
        System.out.println("[mosquitto-config] " + binary + " accepted " + config.toAbsolutePath());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (mosquitto != null) {
            mosquitto.destroy();
            mosquitto.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void close() {
        transports.forEach(Transport::close);
    }

    @Test
    void websocketListenerIsUp() {
        assertThat(Probes.answers("127.0.0.1", wsPort)).isTrue();
    }

    @Test
    void anonymousClientsAreRefused() {
        Transport t = transport(null);
        assertThatThrownBy(() -> t.connect().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TransportException.class)
                .hasMessageContaining("refused");
    }

    @Test
    void aNodeReadsOnlyItsOwnCommands() throws Exception {
        Inbox nodeA = new Inbox();
        Inbox nodeB = new Inbox();
        connect(transport("node-a"), "hostops/v1/node/node-a/cmd", nodeA);
        connect(transport("node-b"), "hostops/v1/node/node-a/cmd", nodeB); // allowed to subscribe, must get nothing
        Transport dispatcher = connect(transport("hostops-dispatcher"), null, null);

        dispatcher.publish(OutboundMessage.reliable("hostops/v1/node/node-a/cmd", "exec-1".getBytes(StandardCharsets.UTF_8)))
                .get(20, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).until(() -> nodeA.texts().contains("exec-1"));
        assertThat(nodeB.texts()).isEmpty();
    }

    @Test
    void aNodeWritesOnlyItsOwnReportsAndTheDashboardWritesNothing() throws Exception {
        Inbox dispatcherInbox = new Inbox();
        connect(transport("hostops-dispatcher"), "hostops/v1/#", dispatcherInbox);
        Transport nodeA = connect(transport("node-a"), null, null);
        Transport dashboard = connect(transport("hostops-dashboard"), null, null);

        refused(nodeA, "hostops/v1/node/node-b/result", "forged-result");
        refused(dashboard, "hostops/v1/node/node-a/cmd", "dashboard-cmd");
        nodeA.publish(OutboundMessage.reliable("hostops/v1/node/node-a/result", "own-result".getBytes(StandardCharsets.UTF_8)))
                .get(20, TimeUnit.SECONDS);

        // messages from one client arrive in order, so once "own-result" is in, a forged one would be too
        await().atMost(Duration.ofSeconds(20)).until(() -> dispatcherInbox.texts().contains("own-result"));
        assertThat(dispatcherInbox.texts()).containsExactly("own-result");
    }

    private Transport transport(String user) {
        return AclProbe.client(mqttPort, user, user == null ? null : "pw-" + user, transports);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
