package dev.hostops.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.dispatcher.testing.Api;
import dev.hostops.dispatcher.testing.Harness;
import dev.hostops.dispatcher.testing.OnMosquitto;
import dev.hostops.dispatcher.testing.SimulatedNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Presence, LOST after a node dies, and approvals answered through the API. */
class NodeLifecycleTest extends OnMosquitto {
    String nodeId = "life-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Duration lostGrace() {
        return Duration.ofSeconds(1);
    }

    @Test
    void runningCommandOfANodeThatDiedIsLostAfterTheGrace() {
        SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.HOLD);
        try (Api.Sse events = api.sse("/v1/events?node=" + nodeId, Harness.READ)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/nodes/" + nodeId, Harness.READ).status() == 200);
            assertThat(api.get("/v1/nodes", Harness.READ).body().path("nodes").toString()).contains(nodeId);
            String id = api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"" + nodeId + "\",\"argv\":[\"long\"]}").body().path("id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("RUNNING"));
            node.crash();
            await().atMost(Duration.ofSeconds(15)).until(() -> status(id).equals("LOST"));
            assertThat(api.get("/v1/nodes/" + nodeId, Harness.READ).body().path("state").asText()).isEqualTo("offline");
            await().atMost(Duration.ofSeconds(5)).until(() -> events.named("result").stream().anyMatch(e -> e.data().path("status").asText().equals("LOST")));
            assertThat(events.named("presence").stream().map(e -> e.data().path("status").asText())).contains("offline");
        } finally {
            node.close();
        }
    }

    /**
     * The node was only cut off (a network outage longer than the grace): its agent ran the command
     * to the end and sends the result when it is back. LOST stands (callers were told), and the
     * command's view shows what the node reported after all.
     */
    @Test
    void aResultAfterLostStaysAnAnomalyAndTheCommandShowsIt() {
        SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.HOLD);
        String id;
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/nodes/" + nodeId, Harness.READ).status() == 200);
            id = api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"" + nodeId + "\",\"argv\":[\"long\"]}").body().path("id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("RUNNING"));
            node.crash();
            await().atMost(Duration.ofSeconds(15)).until(() -> status(id).equals("LOST"));
            assertThat(api.get("/v1/commands/" + id, Harness.READ).body().has("lateResult")).isFalse();
        } finally {
            node.close();
        }
        try (SimulatedNode back = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.HOLD)) {
            back.finish(id, dev.hostops.contracts.CommandStatus.SUCCEEDED, 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/commands/" + id, Harness.READ).body().has("lateResult"));
            var view = api.get("/v1/commands/" + id, Harness.READ).body();
            assertThat(view.path("status").asText()).isEqualTo("LOST");
            assertThat(view.path("lateResult").path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(view.path("lateResult").path("result").path("exitCode").asInt(-1)).isZero();
            assertThat(view.path("lateResult").path("receivedAt").asText()).isNotEmpty();
            assertThat(api.get("/v1/anomalies", Harness.READ).raw()).contains(id).contains("RESULT_AFTER_LOST");
        }
    }

    @Test
    void approvalRequestIsListedAndTheDecisionReachesTheNode() {
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.ASK)) {
            String id = pendingApproval(node);

            Api.Reply denied = api.post("/v1/approvals/" + id, Harness.SUBMIT, "{\"decision\":\"allow-once\"}");
            assertThat(denied.status()).isEqualTo(403);
            Api.Reply ok = api.post("/v1/approvals/" + id, Harness.APPROVE, "{\"decision\":\"allow-once\",\"reason\":\"looks fine\"}");
            assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
            assertThat(ok.body().path("state").asText()).isEqualTo("ALLOWED");
            await().atMost(Duration.ofSeconds(10)).until(() -> node.received.stream().anyMatch(m -> m instanceof ApprovalDecision d
                    && d.id().equals(id) && d.decision() == ApprovalDecision.Decision.ALLOW_ONCE && "approver".equals(d.approver())));
            Api.Reply twice = api.post("/v1/approvals/" + id, Harness.APPROVE, "{\"decision\":\"deny\"}");
            assertThat(twice.status()).isEqualTo(409);
            assertThat(twice.code()).isEqualTo("ALREADY_DECIDED");
            assertThat(api.get("/v1/approvals?state=pending", Harness.READ).raw()).doesNotContain(id);
            // docs/API.md: state is pending | allowed | denied | unanswered | all (all, or no state: every request)
            for (String all : new String[] {"?state=all", "?state=ALL", ""}) {
                Api.Reply listed = api.get("/v1/approvals" + all, Harness.READ);
                assertThat(listed.status()).as(all + ": " + listed.raw()).isEqualTo(200);
                assertThat(listed.raw()).as(all).contains(id);
            }
            Api.Reply bad = api.get("/v1/approvals?state=everything", Harness.READ);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.raw()).contains("pending, allowed, denied, unanswered or all");
        }
    }

    /**
     * From a user walkthrough: a command for a node that never connected went to no session at the
     * broker, so it could only expire. The dispatcher sends it again when the node comes online.
     */
    @Test
    void aCommandForANodeThatNeverConnectedRunsWhenItFirstComesOnline() {
        String id = api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"" + nodeId + "\",\"argv\":[\"git\",\"fetch\"]}")
                .body().path("id").asText();
        assertThat(status(id)).isEqualTo("QUEUED");
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.SUCCEED)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> status(id).equals("SUCCEEDED"));
            assertThat(node.execs()).extracting(e -> e.id()).containsExactly(id);
        }
    }

    /** From a user walkthrough: a request whose command ended unanswered stayed PENDING and could still be "approved". */
    @Test
    void anApprovalWhoseCommandEndedUnansweredIsNoLongerPendingNorAnswerable() {
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.ASK)) {
            String id = pendingApproval(node);
            node.finish(id, CommandStatus.CANCELLED, -1); // cancelled while it waited (or the node's askFallback: REJECTED)
            await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("CANCELLED"));

            assertThat(api.get("/v1/approvals?state=pending", Harness.READ).raw()).doesNotContain(id);
            assertThat(api.get("/v1/approvals?state=unanswered", Harness.READ).raw()).contains(id);
            assertThat(api.get("/v1/commands/" + id, Harness.READ).body().path("approval").path("state").asText()).isEqualTo("UNANSWERED");
            Api.Reply late = api.post("/v1/approvals/" + id, Harness.APPROVE, "{\"decision\":\"allow-once\"}");
            assertThat(late.status()).as(late.raw()).isEqualTo(409);
            assertThat(late.code()).isEqualTo("ALREADY_DECIDED");
            assertThat(late.message()).contains("no longer waits");
            assertThat(node.received).noneMatch(m -> m instanceof ApprovalDecision);
        }
    }

    @Test
    void answersSentAtTheSameMomentGiveOneDecisionNotContraryOnes() throws Exception {
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.ASK)) {
            String id = pendingApproval(node);

            List<String> decisions = List.of("allow-once", "deny", "allow-always", "deny", "allow-once", "deny");
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Api.Reply>> replies = new ArrayList<>();
            var pool = Executors.newFixedThreadPool(decisions.size());
            for (String d : decisions) {
                replies.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return api.post("/v1/approvals/" + id, Harness.APPROVE, "{\"decision\":\"" + d + "\"}");
                }, pool));
            }
            go.countDown();
            pool.shutdown();
            List<Api.Reply> done = new ArrayList<>();
            for (CompletableFuture<Api.Reply> r : replies) {
                done.add(r.get(30, TimeUnit.SECONDS));
            }
            assertThat(done).filteredOn(r -> r.status() == 200).as(done.toString()).hasSize(1);
            assertThat(done).filteredOn(r -> r.status() == 409).hasSize(decisions.size() - 1)
                    .allSatisfy(r -> assertThat(r.code()).isEqualTo("ALREADY_DECIDED"));
            String won = done.stream().filter(r -> r.status() == 200).findFirst().orElseThrow().body().path("decision").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> node.received.stream().anyMatch(m -> m instanceof ApprovalDecision d && d.id().equals(id)));
            Thread.sleep(500); // a second decision, were one sent, would have arrived by now
            assertThat(node.received.stream().filter(m -> m instanceof ApprovalDecision d && d.id().equals(id)).toList())
                    .singleElement().satisfies(m -> assertThat(((ApprovalDecision) m).decision().wire()).isEqualTo(won));
        }
    }

    /** Submits a command the held node asks a person about; returns its id once the request is pending. */
    private String pendingApproval(SimulatedNode node) {
        String id = api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"" + nodeId + "\",\"argv\":[\"docker\",\"compose\",\"up\"]}")
                .body().path("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> node.execs().size() == 1);
        node.askApproval(id, List.of("docker", "compose", "up"));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/approvals?state=pending", Harness.READ).raw().contains(id));
        return id;
    }

    private String status(String id) {
        Api.Reply r = api.get("/v1/commands/" + id, Harness.READ);
        return r.status() == 200 ? r.body().path("status").asText() : "HTTP " + r.status();
    }
}
