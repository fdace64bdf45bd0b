package dev.hostops.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import dev.hostops.node.NodeConfig;
import dev.hostops.node.testing.TestBrokers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An edited policy file is in force without a restart, on a real agent and broker: a looser one
 * allows what was refused, a broken one is refused and the policy in force stays, a stricter one
 * refuses even a command approved under the policy before, and each change is in the presence and
 * the audit log.
 */
class PolicyReloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;
    private AgentRig rig;
    private TestHost host;

    @BeforeEach
    void setUp() throws Exception {
        rig = AgentRig.on(TestBrokers.mqtt(), tmp, "reload");
        host = rig.host;
        policy("/usr/bin/true", "off");
        rig.start();
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    @Test
    void anEditIsInForceAtOnceAndABrokenEditChangesNothing() throws Exception {
        assertThat(run("/usr/bin/echo", "hi").error().code()).isEqualTo("ALLOWLIST_MISS");
        String first = digestAnnounced();

        policy("/usr/bin/echo", "off");
        String second = awaitNewDigest(first);
        Result allowed = run("/usr/bin/echo", "hi");
        assertThat(allowed.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(allowed.stdoutTail()).isEqualTo("hi\n");

        Files.writeString(host.policy, "security: allowlist\nallow: [this is not a list of entries\n");
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .until(() -> auditLines().stream().anyMatch(n -> n.get("event").asText().equals("policy.refused")));
        assertThat(run("/usr/bin/echo", "still").status()).as("the policy in force stays").isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(digestAnnounced()).isEqualTo(second);

        List<JsonNode> audit = auditLines();
        assertThat(audit).extracting(n -> n.get("event").asText()).containsSubsequence("policy.loaded", "policy.loaded", "policy.refused");
        JsonNode loaded = audit.stream().filter(n -> n.get("event").asText().equals("policy.loaded")).toList().get(1);
        assertThat(loaded.get("previous").asText()).isEqualTo(first);
        assertThat(loaded.get("digest").asText()).isEqualTo(second);
        JsonNode refused = audit.stream().filter(n -> n.get("event").asText().equals("policy.refused")).findFirst().orElseThrow();
        assertThat(refused.get("kept").asText()).isEqualTo(second);
    }

    @Test
    void aCommandApprovedUnderTheOldPolicyIsDeniedByTheNewOne() throws Exception {
        policy("/usr/bin/true", "on-miss");
        String before = awaitNewDigest(digestAnnounced());
        String id = UUID.randomUUID().toString();
        rig.tier2.send(host.node, Exec.of(id, host.node, List.of("/usr/bin/echo", "approved")));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> rig.tier2.approvals.containsKey(id));

        // While it waits for the person, the administrator forbids echo outright.
        Files.writeString(host.policy, String.join("\n", "security: allowlist", "ask: on-miss", "allow:",
                "  - path: \"/usr/bin/true\"", "deny:", "  - path: \"/usr/bin/echo\"", ""));
        awaitNewDigest(before);
        rig.tier2.control(host.node, new ApprovalDecision(id, host.node, ApprovalDecision.Decision.ALLOW_ONCE, "alice", null, null));

        Result r = rig.tier2.awaitResult(id, Duration.ofSeconds(20));
        assertThat(r.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(r.error().code()).isEqualTo("DENIED_BY_RULE");
        assertThat(rig.tier2.stdout(id)).isEmpty();
    }

    private void policy(String allowed, String ask) throws Exception {
        Files.writeString(host.policy, String.join("\n", "security: allowlist", "ask: " + ask, "askFallback: deny",
                "approvalTimeout: 20s", "allow:", "  - path: \"" + allowed + "\"", ""));
    }

    private Result run(String... argv) throws Exception {
        String id = UUID.randomUUID().toString();
        rig.tier2.send(host.node, Exec.of(id, host.node, List.of(argv)));
        return rig.tier2.awaitResult(id, Duration.ofSeconds(20));
    }

    private String digestAnnounced() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lastOnline() != null);
        return lastOnline().policyDigest();
    }

    private String awaitNewDigest(String old) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> lastOnline() != null && !old.equals(lastOnline().policyDigest()));
        return lastOnline().policyDigest();
    }

    private Presence lastOnline() {
        List<Presence> online = rig.tier2.presence.stream().filter(p -> p.state() == Presence.State.ONLINE).toList();
        return online.isEmpty() ? null : online.get(online.size() - 1);
    }

    private List<JsonNode> auditLines() throws Exception {
        return Files.readAllLines(host.data.resolve(NodeConfig.DEFAULT_AUDIT_FILE)).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
