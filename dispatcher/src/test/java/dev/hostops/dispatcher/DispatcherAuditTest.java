package dev.hostops.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.contracts.audit.AuditReport;
import dev.hostops.contracts.audit.AuditVerifier;
import dev.hostops.dispatcher.testing.Api;
import dev.hostops.dispatcher.testing.Harness;
import dev.hostops.dispatcher.testing.OnMosquitto;
import dev.hostops.dispatcher.testing.SimulatedNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who submitted, approved and cancelled goes to dataDir/audit.jsonl, named by token, across a restart. */
class DispatcherAuditTest extends OnMosquitto {
    private static final ObjectMapper JSON = new ObjectMapper();
    String nodeId;

    @BeforeEach
    void node() {
        nodeId = "audit-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void submitApproveAndCancelAreAuditedWithTheTokenName() throws Exception {
        Path audit = dir.resolve("data").resolve(DispatcherConfig.DEFAULT_AUDIT_FILE);
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.ASK)) {
            String asked = submit("[\"docker\",\"compose\",\"up\"]");
            String held = submit("[\"sleep\",\"100\"]");
            await().atMost(Duration.ofSeconds(10)).until(() -> node.execs().size() == 2);
            node.askApproval(asked, List.of("docker", "compose", "up"));
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/approvals?state=pending", Harness.READ).raw().contains(asked));
            Api.Reply ok = api.post("/v1/approvals/" + asked, Harness.APPROVE, "{\"decision\":\"allow-once\",\"reason\":\"fine\"}");
            assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
            Api.Reply cancel = api.post("/v1/commands/" + held + "/cancel", Harness.SUBMIT, null);
            assertThat(cancel.status()).as(cancel.raw()).isLessThan(300);

            List<JsonNode> lines = lines(audit);
            assertThat(lines).extracting(n -> n.get("event").asText() + " " + n.get("id").asText() + " by " + n.get("by").asText())
                    .containsExactly(
                            "command.submitted " + asked + " by submitter",
                            "command.submitted " + held + " by submitter",
                            "approval.answered " + asked + " by approver",
                            "command.cancelled " + held + " by submitter");
            assertThat(lines.get(0).get("argv").toString()).isEqualTo("[\"docker\",\"compose\",\"up\"]");
            assertThat(lines.get(0).get("outcome").asText()).isEqualTo("created");
            assertThat(lines.get(2).get("decision").asText()).isEqualTo("allow-once");
        }
        harness.restart();
        api = harness.api();
        submit("[\"true\"]");
        AuditReport report = AuditVerifier.verify(audit);
        assertThat(report.problem()).isEmpty();
        assertThat(report.lastSeq()).isEqualTo(5);
    }

    private String submit(String argv) {
        Api.Reply r = api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"" + nodeId + "\",\"argv\":" + argv + "}");
        assertThat(r.status()).as(r.raw()).isLessThan(300);
        return r.body().path("id").asText();
    }

    private static List<JsonNode> lines(Path audit) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(audit)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }
}
