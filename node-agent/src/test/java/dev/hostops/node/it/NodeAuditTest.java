package dev.hostops.node.it;

import dev.hostops.node.testing.TestBrokers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.audit.AuditReport;
import dev.hostops.contracts.audit.AuditVerifier;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.Exec;
import dev.hostops.node.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real agent writes every decision to dataDir/audit.jsonl, and the chain survives a restart. */
class NodeAuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;
    private AgentRig rig;
    private TestHost host;
    private Orchestrator tier2;

    @BeforeEach
    void setUp() throws Exception {
        rig = AgentRig.on(TestBrokers.mqtt(), tmp, "node");
        host = rig.host;
        tier2 = rig.tier2;
        host.writePolicy("allowlist", "on-miss");
        rig.start();
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    @Test
    void everyDecisionIsAuditedInOrderAndTheChainSurvivesARestart() throws Exception {
        Path audit = host.data.resolve(NodeConfig.DEFAULT_AUDIT_FILE);
        String allowed = UUID.randomUUID().toString();
        String approved = UUID.randomUUID().toString();
        String denied = UUID.randomUUID().toString();
        tier2.send(host.node, Exec.of(allowed, host.node, List.of("echo", "hi")));
        assertThat(tier2.awaitResult(allowed).status()).isEqualTo(CommandStatus.SUCCEEDED);
        tier2.send(host.node, Exec.of(approved, host.node, List.of("/usr/bin/env")));
        tier2.send(host.node, Exec.of(denied, host.node, List.of("/usr/bin/env")));
        Awaitility.await().until(() -> tier2.approvals.containsKey(approved) && tier2.approvals.containsKey(denied));
        tier2.control(host.node, new ApprovalDecision(approved, host.node, ApprovalDecision.Decision.ALLOW_ONCE, "alice", null, null));
        tier2.control(host.node, new ApprovalDecision(denied, host.node, ApprovalDecision.Decision.DENY, "bob", "no", null));
        assertThat(tier2.awaitResult(approved).status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(tier2.awaitResult(denied).status()).isEqualTo(CommandStatus.REJECTED);

        // A result is published only once its command.finished line is on disk: no waiting for the lines here.
        List<JsonNode> a = eventsOf(audit, allowed);
        assertThat(a).extracting(n -> n.get("event").asText())
                .containsExactly("command.received", "policy.verdict", "command.started", "command.finished");
        assertThat(a.get(1).get("decision").asText()).isEqualTo("allow");
        assertThat(a.get(2).get("resolvedExecutable").asText()).isEqualTo("/usr/bin/echo");
        assertThat(a.get(2).get("argv").toString()).isEqualTo("[\"/usr/bin/echo\",\"hi\"]");
        assertThat(a.get(3).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(a.get(3).get("exitCode").asInt()).isZero();

        List<JsonNode> b = eventsOf(audit, approved);
        assertThat(b).extracting(n -> n.get("event").asText()).containsExactly("command.received", "policy.verdict",
                "approval.requested", "approval.decided", "command.started", "command.finished");
        assertThat(b.get(3).get("by").asText()).isEqualTo("alice");
        assertThat(b.get(3).get("approved").asBoolean()).isTrue();

        List<JsonNode> c = eventsOf(audit, denied);
        assertThat(c).extracting(n -> n.get("event").asText()).containsExactly("command.received", "policy.verdict",
                "approval.requested", "approval.decided", "command.finished");
        assertThat(c.get(3).get("by").asText()).isEqualTo("bob");
        assertThat(c.get(4).get("code").asText()).isEqualTo("APPROVAL_DENIED");

        long before = AuditVerifier.verify(audit).lastSeq();
        rig.start();
        String afterRestart = UUID.randomUUID().toString();
        tier2.send(host.node, Exec.of(afterRestart, host.node, List.of("echo", "again")));
        assertThat(tier2.awaitResult(afterRestart).status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(eventsOf(audit, afterRestart)).hasSize(4);

        AuditReport report = AuditVerifier.verify(audit);
        assertThat(report.problem()).isEmpty();
        // The restarted agent's first line says which policy is in force, then the command's four.
        assertThat(report.lastSeq()).isEqualTo(before + 5);
        List<String> lines = Files.readAllLines(audit);
        JsonNode loaded = JSON.readTree(lines.get(lines.size() - 5));
        assertThat(loaded.get("event").asText()).isEqualTo("policy.loaded");
        assertThat(loaded.get("digest").asText()).startsWith("sha256:");
    }

    private static List<JsonNode> eventsOf(Path audit, String id) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(audit)) {
            JsonNode n = JSON.readTree(line);
            if (id.equals(n.path("id").asText())) {
                out.add(n);
            }
        }
        return out;
    }
}
