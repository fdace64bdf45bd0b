package dev.hostops.broker.acl;

import static dev.hostops.broker.testing.AclProbe.connect;
import static dev.hostops.broker.testing.AclProbe.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hostops.broker.AccessRefusedException;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
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
import java.nio.file.attribute.PosixFilePermissions;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generates credentials and ACLs for nodes A and B, a dispatcher and a dashboard, starts the real
 * {@code mosquitto} with the project's mosquitto.conf (only ports and paths changed) and the
 * generated {@code passwd} and {@code acl}, and checks what each user can and cannot do. That the
 * users log in at all proves the {@code $7$} password format is the one Mosquitto reads.
 */
class GeneratedAclMosquittoTest {
    private static final String A = "node-a-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String B = "node-b-" + UUID.randomUUID().toString().substring(0, 8);
    @TempDir
    static Path dir;
    private static Process mosquitto;
    private static int port;
    private static Map<String, Credential> byUser;
    private final List<Transport> transports = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void generateAndStart() throws Exception {
        Path binary = MosquittoProcess.binary().orElseGet(() -> Requirement.missing("no mosquitto binary"));
        AclPlan plan = new AclPlan(List.of(A, B), AclPlan.DEFAULT_DISPATCHER, AclPlan.DEFAULT_DASHBOARD, AclPlan.DEFAULT_VHOST);
        List<Credential> creds = AclFiles.newCredentials(plan);
        byUser = creds.stream().collect(Collectors.toMap(Credential::mqttUser, Function.identity()));
        Path out = dir.resolve("acl-out");
        AclFiles.write(plan, creds, out, false);

        port = freePort();
        Path config = MosquittoProcess.projectConfig().orElseThrow();
        String conf = Files.readString(config)
                .replace("listener 1883", "listener " + port + " 127.0.0.1")
                .replace("listener 9001", "listener " + freePort() + " 127.0.0.1")
                .replace("/mosquitto/data/", dir.toAbsolutePath() + "/")
                .replace("/mosquitto/config/passwd", out.resolve(AclFiles.PASSWD).toAbsolutePath().toString())
                .replace("/mosquitto/config/acl", out.resolve(AclFiles.ACL).toAbsolutePath().toString())
                + "\nuser " + System.getProperty("user.name") + "\n";
        Path confFile = dir.resolve("mosquitto.conf");
        Files.writeString(confFile, conf);
        Path log = dir.resolve("mosquitto.log");
        mosquitto = new ProcessBuilder(binary.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("mosquitto with the generated passwd and acl").atMost(Duration.ofSeconds(20))
                .failFast("mosquitto refused the generated files: " + log, () -> !mosquitto.isAlive())
                .until(() -> Probes.answers("127.0.0.1", port));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (mosquitto != null) {
            mosquitto.destroy();
            if (!mosquitto.waitFor(10, TimeUnit.SECONDS)) {
                mosquitto.destroyForcibly();
            }
        }
    }

    @AfterEach
    void closeTransports() {
        transports.forEach(Transport::close);
    }

    @Test
    void secretsAreOwnerOnly() throws Exception {
        Path out = dir.resolve("acl-out");
        for (String f : List.of(AclFiles.PASSWD, AclFiles.DEFINITIONS, AclFiles.CREDENTIALS)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(f)))).as(f).isEqualTo("rw-------");
        }
        assertThat(Files.readString(out.resolve(AclFiles.PASSWD))).contains(A + ":$7$101$");
        assertThatThrownBy(() -> AclFiles.write(new AclPlan(List.of(A), "d", "x", "v"), List.of(), out, false))
                .hasMessageContaining("exists");
    }

    @Test
    void anUnauthenticatedClientCannotConnect() {
        Transport anon = transport(null, null);
        assertThatThrownBy(() -> anon.connect().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AccessRefusedException.class);
    }

    @Test
    void aWrongPasswordCannotConnect() {
        Transport t = transport(A, "not-" + byUser.get(A).password());
        assertThatThrownBy(() -> t.connect().get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(AccessRefusedException.class);
    }

    @Test
    void aNodeReadsItsOwnCommandsButNeverAnotherNodes() throws Exception {
        Inbox aInbox = new Inbox();
        Inbox aSpy = new Inbox();
        Inbox bInbox = new Inbox();
        Transport nodeA = connect(transport(A), topic(A, "cmd"), aInbox);
        // Mosquitto may grant or refuse (0x87) this subscription; either way no message may arrive through it
        await().atMost(Duration.ofSeconds(20))
                .until(() -> nodeA.subscribe(topic(B, "cmd"), Qos.AT_LEAST_ONCE, aSpy).handle((ok, err) -> true).get());
        connect(transport(B), topic(B, "cmd"), bInbox);
        Transport dispatcher = connect(transport(AclPlan.DEFAULT_DISPATCHER), null, null);

        send(dispatcher, topic(B, "cmd"), "for-b");
        send(dispatcher, topic(A, "cmd"), "for-a");

        await().atMost(Duration.ofSeconds(20)).until(() -> bInbox.texts().contains("for-b") && aInbox.texts().contains("for-a"));
        // the dispatcher's messages arrive in order at A's connection: "for-b" was published first
        assertThat(aSpy.texts()).isEmpty();
        assertThat(aInbox.texts()).containsExactly("for-a");
    }

    @Test
    void aNodeCannotForgeAnotherNodesResultButPublishesItsOwn() throws Exception {
        Inbox dispatcherInbox = new Inbox();
        connect(transport(AclPlan.DEFAULT_DISPATCHER), "hostops/v1/node/+/result", dispatcherInbox);
        Transport nodeA = connect(transport(A), null, null);

        refused(nodeA, topic(B, "result"), "forged");
        refused(nodeA, topic(B, "cmd"), "a-commands-b");
        refused(nodeA, topic(A, "cmd"), "a-commands-itself");
        send(nodeA, topic(A, "result"), "own-result");

        await().atMost(Duration.ofSeconds(20)).until(() -> dispatcherInbox.texts().contains("own-result"));
        assertThat(dispatcherInbox.texts()).containsExactly("own-result");
    }

    @Test
    void theDispatcherCommandsEveryNodeAndReadsEveryResult() throws Exception {
        Inbox dispatcherInbox = new Inbox();
        Inbox aInbox = new Inbox();
        Inbox bInbox = new Inbox();
        Transport dispatcher = connect(transport(AclPlan.DEFAULT_DISPATCHER), "hostops/v1/node/+/result", dispatcherInbox);
        connect(transport(A), topic(A, "control"), aInbox);
        Transport nodeB = connect(transport(B), topic(B, "cmd"), bInbox);

        send(dispatcher, topic(A, "control"), "cancel-a");
        send(dispatcher, topic(B, "cmd"), "exec-b");
        send(nodeB, topic(B, "result"), "result-b");

        await().atMost(Duration.ofSeconds(20)).until(() -> aInbox.texts().contains("cancel-a")
                && bInbox.texts().contains("exec-b") && dispatcherInbox.texts().contains("result-b"));
        refused(dispatcher, topic(A, "result"), "dispatcher-forges-a-result");
    }

    @Test
    void theDashboardReadsButCannotPublish() throws Exception {
        Inbox dashboardInbox = new Inbox();
        Inbox aInbox = new Inbox();
        Transport dashboard = connect(transport(AclPlan.DEFAULT_DASHBOARD), "hostops/v1/node/+/state", dashboardInbox);
        connect(transport(A), topic(A, "cmd"), aInbox);
        Transport realA = connect(transport(A), null, null);

        refused(dashboard, topic(A, "cmd"), "dashboard-cmd");
        refused(dashboard, topic(A, "control"), "dashboard-control");
        send(realA, topic(A, "state"), "running");

        await().atMost(Duration.ofSeconds(20)).until(() -> dashboardInbox.texts().contains("running"));
        assertThat(aInbox.texts()).isEmpty();
    }

    private static String topic(String node, String kind) {
        return "hostops/v1/node/" + node + "/" + kind;
    }

    private static void send(Transport t, String topic, String text) throws Exception {
        t.publish(OutboundMessage.reliable(topic, text.getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS);
    }

    private Transport transport(String user) {
        return transport(user, byUser.get(user).password());
    }

    private Transport transport(String user, String password) {
        return AclProbe.client(port, user, password, transports);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
