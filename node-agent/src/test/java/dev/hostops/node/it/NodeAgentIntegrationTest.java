package dev.hostops.node.it;

import dev.hostops.node.testing.TestBrokers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.Cancel;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.contracts.message.Result;
import dev.hostops.node.AgentState;
import dev.hostops.node.store.NodeStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent end to end: a real broker, real processes, a real data directory. Each test has
 * its own node id, so tests never see each other's messages.
 */
class NodeAgentIntegrationTest {
    @TempDir
    Path tmp;

    private AgentRig rig;
    private BrokerUrl broker;
    private TestHost host;
    private Orchestrator tier2;

    @BeforeEach
    void setUp() throws Exception {
        rig = AgentRig.on(TestBrokers.mqtt(), tmp, "node");
        broker = rig.broker;
        host = rig.host;
        tier2 = rig.tier2;
        rig.start();
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private Exec exec(String id, String... argv) {
        return Exec.of(id, host.node, List.of(argv));
    }

    /**
     * Commands published back to back run in the order they were published when only one may run
     * at a time: the intake claims a burst in shared commits, and must not reorder it.
     */
    @Test
    void aBurstRunsInPublicationOrderOneAtATime() throws Exception {
        rig.start(host.config(broker, NodeStore.Durability.FULL, 1));
        Path order = host.work.resolve("order.txt");
        Path record = host.script("record", "echo \"$1\" >> '" + order + "'");
        List<Exec> burst = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            burst.add(exec(id(), record.toString(), Integer.toString(i)));
        }

        tier2.sendAll(host.node, burst);

        for (Exec e : burst) {
            assertThat(tier2.awaitResult(e.id()).status()).isEqualTo(CommandStatus.SUCCEEDED);
        }
        List<String> expected = burst.stream().map(e -> e.argv().get(1)).toList();
        assertThat(Files.readAllLines(order)).containsExactlyElementsOf(expected);
    }

    @Test
    void allowedCommandSucceedsWithExactOutput() throws Exception {
        String id = id();
        tier2.send(host.node, exec(id, "/usr/bin/printf", "hello %s\\n", "world").withWorkdir(host.work.toString()));

        Result r = tier2.awaitResult(id);

        assertThat(r.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(r.exitCode()).isZero();
        assertThat(r.resolvedExecutable()).isEqualTo("/usr/bin/printf");
        assertThat(r.policy().decision()).isEqualTo("allow");
        assertThat(r.stdoutTail()).isEqualTo("hello world\n");
        assertThat(r.stdoutBytes()).isEqualTo(12);
        Awaitility.await().until(() -> tier2.logs.getOrDefault(id, List.of()).size() == r.logChunks());
        assertThat(tier2.stdout(id)).isEqualTo("hello world\n");
        assertThat(tier2.states.get(id)).extracting(s -> s.status()).contains(CommandStatus.DELIVERED, CommandStatus.RUNNING);
    }

    @Test
    void theResultCarriesAsMuchOfTheOutputsEndAsTheNodeIsConfiguredFor() throws Exception {
        rig.start(host.config(broker, NodeStore.Durability.NORMAL).withTailKiB(8));
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            all.append(i).append('\n');
        }
        Path file = Files.writeString(host.work.resolve("numbers.txt"), all);
        String id = id();
        tier2.send(host.node, exec(id, "/usr/bin/cat", file.toString()));

        Result r = tier2.awaitResult(id);

        assertThat(r.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(r.stdoutBytes()).isEqualTo(all.length());
        assertThat(r.stdoutTail()).hasSize(8 * 1024).isEqualTo(all.substring(all.length() - 8 * 1024));
    }

    @Test
    void commandStringIsSplitWithoutAShell() throws Exception {
        String id = id();
        Exec e = new Exec(id, host.node, null, "/usr/bin/echo 'a  b' \"c\\\"d\" *", null, null, null, null, null, null,
                null, null, null, null);
        tier2.send(host.node, e);

        Result r = tier2.awaitResult(id);

        assertThat(r.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(r.stdoutTail()).isEqualTo("a  b c\"d *\n");
    }

    @Test
    void shellSyntaxInACommandStringIsRejected() throws Exception {
        Path marker = host.root.resolve("pwned");
        String id = id();
        Exec e = new Exec(id, host.node, null, "/usr/bin/echo hi; /usr/bin/touch " + marker, null, null, null, null,
                null, null, null, null, null, null);
        tier2.send(host.node, e);

        Result r = tier2.awaitResult(id);

        assertThat(r.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(r.error().code()).isEqualTo("SHELL_SYNTAX");
        assertThat(marker).doesNotExist();
    }

    @Test
    void allowlistMissIsRejectedAndTheProgramNeverStarts() throws Exception {
        Path marker = host.root.resolve("touched");
        String id = id();
        tier2.send(host.node, exec(id, "/usr/bin/touch", marker.toString()));

        Result r = tier2.awaitResult(id);

        assertThat(r.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(r.error().code()).isEqualTo("ALLOWLIST_MISS");
        assertThat(r.exitCode()).isNull();
        assertThat(marker).doesNotExist();
        assertThat(tier2.states.getOrDefault(id, List.of())).noneMatch(s -> s.status() == CommandStatus.RUNNING);
    }

    @Test
    void destructiveArgumentsAreDenied() throws Exception {
        Path marker = host.root.resolve("git-ran");
        Path git = host.script("git", "echo ran >> " + marker);
        String id = id();
        tier2.send(host.node, exec(id, git.toString(), "reset", "--hard", "HEAD~1"));

        Result r = tier2.awaitResult(id);

        assertThat(r.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(r.error().code()).isEqualTo("DENIED_BY_RULE");
        assertThat(marker).doesNotExist();

        String ok = id();
        tier2.send(host.node, exec(ok, git.toString(), "status", "--porcelain"));
        assertThat(tier2.awaitResult(ok).status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(Files.readAllLines(marker)).hasSize(1);
    }

    @Test
    void forbiddenEnvironmentIsRejectedNamingTheVariable() throws Exception {
        String id = id();
        tier2.send(host.node, exec(id, "/usr/bin/echo", "x").withEnv(Map.of("LD_PRELOAD", "/tmp/evil.so")));

        Result r = tier2.awaitResult(id);

        assertThat(r.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(r.error().code()).isEqualTo("FORBIDDEN_ENV");
        assertThat(r.error().message()).contains("LD_PRELOAD");
    }

    @Test
    void missingWorkdirIsRejectedSayingSo() throws Exception {
        String id = id();
        tier2.send(host.node, exec(id, "/usr/bin/echo", "x").withWorkdir(host.root.resolve("nope").toString()));

        Result r = tier2.awaitResult(id);

        assertThat(r.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(r.error().code()).isEqualTo("WORKDIR_NOT_FOUND");
    }

    @Test
    void nonZeroExitIsFailedWithStderr() throws Exception {
        Path fail = host.script("fail", "echo oops >&2; exit 3");
        String id = id();
        tier2.send(host.node, exec(id, fail.toString()));

        Result r = tier2.awaitResult(id);

        assertThat(r.status()).isEqualTo(CommandStatus.FAILED);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderrTail()).isEqualTo("oops\n");
        assertThat(r.error()).isNull();
    }

    @Test
    void timeoutKillsTheWholeTree() throws Exception {
        Path pids = host.root.resolve("pids");
        Path tree = host.script("tree", String.join("\n",
                "sh -c 'sleep 300 & echo $! >> " + pids + "; wait' &",
                "echo $! >> " + pids,
                "sleep 300 &",
                "echo $! >> " + pids,
                "echo $$ >> " + pids,
                "wait"));
        String id = id();
        tier2.send(host.node, exec(id, tree.toString()).withTimeoutMs(1500L));

        Result r = tier2.awaitResult(id);

        assertThat(r.status()).isEqualTo(CommandStatus.TIMED_OUT);
        assertThat(r.error().code()).isEqualTo("TIMED_OUT");
        List<Long> recorded = Files.readAllLines(pids).stream().map(String::trim).map(Long::parseLong).toList();
        assertThat(recorded).hasSize(4);
        Awaitility.await("no process of the tree left").atMost(Duration.ofSeconds(10)).until(() ->
                recorded.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    @Test
    void cancelKillsARunningCommand() throws Exception {
        Path started = host.root.resolve("started");
        Path slow = host.script("slow", "touch " + started + "; sleep 300");
        String id = id();
        tier2.send(host.node, exec(id, slow.toString()));
        Awaitility.await().until(() -> Files.exists(started));

        tier2.control(host.node, Cancel.of(id, host.node, "operator changed their mind"));

        Result r = tier2.awaitResult(id);
        assertThat(r.status()).isEqualTo(CommandStatus.CANCELLED);
        assertThat(r.error().message()).contains("operator changed their mind");
    }

    @Test
    void tenMegabytesOfOutputArriveCompleteAndInOrder() throws Exception {
        Path blob = host.root.resolve("blob");
        byte[] bytes = new byte[10 * 1024 * 1024];
        new java.util.Random(42).nextBytes(bytes);
        Files.write(blob, bytes);
        String id = id();
        tier2.send(host.node, exec(id, "/usr/bin/cat", blob.toString()));

        Result r = tier2.awaitResult(id, Duration.ofSeconds(60));

        assertThat(r.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(r.stdoutBytes()).isEqualTo(bytes.length);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> tier2.logs.get(id).size() == r.logChunks());
        List<Long> seqs = tier2.logs.get(id).stream().map(LogChunk::seq).sorted().toList();
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(i);
        }
        assertThat(sha256(tier2.output(id, LogChunk.Stream.STDOUT))).isEqualTo(sha256(bytes));
    }

    @Test
    void aDuplicatedDeliveryRunsOnce() throws Exception {
        Path marker = host.root.resolve("runs");
        Path count = host.script("count", "echo run >> " + marker);
        String id = id();
        Exec e = exec(id, count.toString());

        tier2.send(host.node, e);
        Result first = tier2.awaitResult(id);
        tier2.send(host.node, e);
        Awaitility.await("the stored result, published again").until(() -> tier2.results.get(id).size() == 2);

        assertThat(Files.readAllLines(marker)).hasSize(1);
        assertThat(tier2.results.get(id).get(1)).isEqualTo(first);
    }

    @Test
    void commandsPublishedWhileTheAgentIsDownRunWhenItStartsAndExpiredOnesDoNot() throws Exception {
        rig.stopAgent();
        Path marker = host.root.resolve("offline-runs");
        Path count = host.script("count", "echo \"$1\" >> " + marker);
        String fresh = id();
        String stale = id();
        tier2.send(host.node, exec(fresh, count.toString(), "fresh").withExpiresAt(Instant.now().plusSeconds(600)));
        tier2.send(host.node, exec(stale, count.toString(), "stale").withExpiresAt(Instant.now().minusSeconds(1)));

        rig.start();

        assertThat(tier2.awaitResult(fresh).status()).isEqualTo(CommandStatus.SUCCEEDED);
        Result expired = tier2.awaitResult(stale);
        assertThat(expired.status()).isEqualTo(CommandStatus.EXPIRED);
        assertThat(expired.error().code()).isEqualTo("EXPIRED");
        assertThat(Files.readAllLines(marker)).containsExactly("fresh");
    }

    @Test
    void approvalAllowOnceLetsAMissRunAndDenyRejects() throws Exception {
        rig.stopAgent();
        host.writePolicy("allowlist", "on-miss");
        rig.start();
        String allowed = id();
        String denied = id();
        tier2.send(host.node, exec(allowed, "/usr/bin/env"));
        tier2.send(host.node, exec(denied, "/usr/bin/env"));
        Awaitility.await().until(() -> tier2.approvals.containsKey(allowed) && tier2.approvals.containsKey(denied));
        assertThat(tier2.approvals.get(allowed).resolvedExecutable()).isEqualTo("/usr/bin/env");

        tier2.control(host.node, new ApprovalDecision(allowed, host.node, ApprovalDecision.Decision.ALLOW_ONCE, "alice", null, null));
        tier2.control(host.node, new ApprovalDecision(denied, host.node, ApprovalDecision.Decision.DENY, "bob", "not today", null));

        assertThat(tier2.awaitResult(allowed).status()).isEqualTo(CommandStatus.SUCCEEDED);
        Result r = tier2.awaitResult(denied);
        assertThat(r.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(r.error().code()).isEqualTo("APPROVAL_DENIED");
        assertThat(r.error().message()).contains("bob").contains("not today");
    }

    @Test
    void presenceSaysOnlineWithThePolicyDigest() {
        Awaitility.await().until(() -> tier2.presence.stream().anyMatch(p -> p.node().equals(host.node)));
        var p = tier2.presence.stream().filter(x -> x.node().equals(host.node)).reduce((a, b) -> b).orElseThrow();
        assertThat(p.state().wire()).isEqualTo("online");
        assertThat(p.policyDigest()).startsWith("sha256:");
        assertThat(p.labels()).containsEntry("test", "true");
        assertThat(rig.agent().state()).isEqualTo(AgentState.RUNNING);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
