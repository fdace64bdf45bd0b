package dev.hostops.dispatcher.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hostops.dispatcher.testing.Api;
import dev.hostops.dispatcher.testing.Harness;
import dev.hostops.dispatcher.testing.OnMosquitto;
import dev.hostops.dispatcher.testing.SimulatedNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A token with {@code nodes: ["build-*"]} (the harness's builder: submit, approve, read) beside
 * unrestricted ones, on a real Mosquitto with simulated nodes: it runs, cancels and approves on the
 * build machines only, a selector picks among them only, and what it may not do is a 403 that
 * names the node and the token's nodes, with nothing sent to the node. It reads only what
 * concerns its nodes: another node's command, logs, node and request are a 404, lists and the
 * event stream leave them out.
 */
class NodeScopeTest extends OnMosquitto {
    private final String team = "t" + UUID.randomUUID().toString().substring(0, 6);
    private final List<SimulatedNode> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() {
        nodes.forEach(SimulatedNode::close);
    }

    private SimulatedNode node(String name, SimulatedNode.Mode mode) {
        SimulatedNode n = SimulatedNode.start(name + "-" + team, mosquitto.url(), mode, Map.of("team", team), "linux");
        nodes.add(n);
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/nodes/" + n.node(), Harness.READ).status() == 200);
        return n;
    }

    @Test
    void runsOnItsNodesAndIsRefusedElsewhereWithNothingSent() {
        SimulatedNode build = node("build", SimulatedNode.Mode.SUCCEED);
        SimulatedNode prod = node("HostOps", SimulatedNode.Mode.SUCCEED);

        Api.Reply ok = api.post("/v1/commands?wait=20", Harness.BUILDS_ONLY, "{\"node\":\"" + build.node() + "\",\"argv\":[\"make\"]}");
        assertThat(ok.status()).as(ok.raw()).isEqualTo(200);
        assertThat(ok.body().path("source").asText()).isEqualTo("api:builder");

        Api.Reply refused = api.post("/v1/commands", Harness.BUILDS_ONLY, "{\"node\":\"" + prod.node() + "\",\"argv\":[\"make\"]}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("FORBIDDEN");
        assertThat(refused.message()).isEqualTo("token 'builder' may not run commands on node '" + prod.node() + "' (its nodes: build-*)");
        Api.Reply list = api.post("/v1/commands", Harness.BUILDS_ONLY,
                "{\"nodes\":[\"" + build.node() + "\",\"" + prod.node() + "\"],\"argv\":[\"make\"]}");
        assertThat(list.status()).as("a list with one node out of reach is refused whole").isEqualTo(403);
        assertThat(list.message()).contains(prod.node());

        assertThat(api.post("/v1/commands?wait=20", Harness.SUBMIT, "{\"node\":\"" + prod.node() + "\",\"argv\":[\"make\"]}").status())
                .as("a token without nodes reaches every node").isEqualTo(200);
        assertThat(build.execs()).hasSize(1);
        assertThat(prod.execs()).as("only the unrestricted token's command reached it").hasSize(1);
    }

    @Test
    void aSelectorPicksAmongItsNodesOnly() {
        SimulatedNode build1 = node("build-1", SimulatedNode.Mode.SUCCEED);
        SimulatedNode build2 = node("build-2", SimulatedNode.Mode.SUCCEED);
        SimulatedNode prod = node("HostOps", SimulatedNode.Mode.SUCCEED);

        Api.Reply r = api.post("/v1/commands?wait=30", Harness.BUILDS_ONLY,
                "{\"selector\":{\"labels\":{\"team\":\"" + team + "\"}},\"argv\":[\"uptime\"]}");

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        List<String> targets = new ArrayList<>();
        r.body().path("invocations").forEach(i -> targets.add(i.path("node").asText()));
        assertThat(targets).containsExactlyInAnyOrder(build1.node(), build2.node());
        assertThat(prod.execs()).isEmpty();
        Api.Reply none = api.post("/v1/commands", Harness.BUILDS_ONLY,
                "{\"selector\":{\"labels\":{\"team\":\"" + team + "\"},\"os\":\"windows\"},\"argv\":[\"uptime\"]}");
        assertThat(none.status()).isEqualTo(400);
    }

    @Test
    void cancelsAndApprovesOnItsNodesOnly() {
        SimulatedNode build = node("build", SimulatedNode.Mode.ASK);
        SimulatedNode prod = node("HostOps", SimulatedNode.Mode.ASK);
        String onProd = submitted(prod);
        String onBuild = submitted(build);

        Api.Reply cancelProd = api.post("/v1/commands/" + onProd + "/cancel", Harness.BUILDS_ONLY, "{}");
        assertThat(cancelProd.status()).isEqualTo(403);
        assertThat(cancelProd.message()).contains("may not cancel commands on node '" + prod.node() + "'");
        assertThat(api.post("/v1/commands/" + onBuild + "/cancel", Harness.BUILDS_ONLY, "{}").status()).isEqualTo(202);

        String askProd = submitted(prod);
        prod.askApproval(askProd, List.of("docker", "compose", "up"));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/approvals?state=pending", Harness.READ).raw().contains(askProd));
        Api.Reply approveProd = api.post("/v1/approvals/" + askProd, Harness.BUILDS_ONLY, "{\"decision\":\"allow-once\"}");
        assertThat(approveProd.status()).isEqualTo(403);
        assertThat(approveProd.message()).contains("may not answer approval requests on node '" + prod.node() + "'");
        assertThat(api.get("/v1/approvals?state=pending", Harness.READ).raw()).as("still pending").contains(askProd);

        String askBuild = submitted(build);
        build.askApproval(askBuild, List.of("make", "install"));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/approvals?state=pending", Harness.READ).raw().contains(askBuild));
        Api.Reply approveBuild = api.post("/v1/approvals/" + askBuild, Harness.BUILDS_ONLY, "{\"decision\":\"allow-once\"}");
        assertThat(approveBuild.status()).as(approveBuild.raw()).isEqualTo(200);

        assertThat(prod.received).as("no cancel and no decision reached the node out of reach")
                .noneMatch(m -> m instanceof dev.hostops.contracts.message.Cancel
                        || m instanceof dev.hostops.contracts.message.ApprovalDecision);
    }

    @Test
    void readsOnlyWhatConcernsItsNodes() throws Exception {
        SimulatedNode build = node("build", SimulatedNode.Mode.SUCCEED);
        SimulatedNode prod = node("HostOps", SimulatedNode.Mode.SUCCEED);
        try (Api.Sse events = api.sse("/v1/events", Harness.BUILDS_ONLY)) {
            await().atMost(Duration.ofSeconds(10)).until(events::started);
            String onProd = api.post("/v1/commands?wait=20", Harness.SUBMIT, "{\"node\":\"" + prod.node() + "\",\"argv\":[\"env\"]}")
                    .body().path("id").asText();
            String onBuild = api.post("/v1/commands?wait=20", Harness.SUBMIT, "{\"node\":\"" + build.node() + "\",\"argv\":[\"make\"]}")
                    .body().path("id").asText();

            assertThat(api.get("/v1/commands/" + onBuild, Harness.BUILDS_ONLY).status()).isEqualTo(200);
            Api.Reply other = api.get("/v1/commands/" + onProd, Harness.BUILDS_ONLY);
            assertThat(other.status()).as("another node's command does not exist for it").isEqualTo(404);
            assertThat(other.message()).isEqualTo("no command or request with id '" + onProd + "'");
            assertThat(api.get("/v1/commands/" + onProd + "/logs", Harness.BUILDS_ONLY).status()).isEqualTo(404);
            assertThat(api.get("/v1/commands/" + onProd + "/logs?follow=true", Harness.BUILDS_ONLY).status()).isEqualTo(404);
            assertThat(api.get("/v1/commands/" + onBuild + "/logs", Harness.BUILDS_ONLY).status()).isEqualTo(200);

            assertThat(api.get("/v1/commands", Harness.BUILDS_ONLY).status()).as("one node at a time").isEqualTo(400);
            Api.Reply metrics = api.get("/metrics", Harness.BUILDS_ONLY);
            assertThat(metrics.status()).as("fleet-wide totals").isEqualTo(403);
            assertThat(metrics.raw()).contains("limited to some nodes");
            assertThat(api.get("/metrics", Harness.READ).status()).isEqualTo(200);
            assertThat(api.get("/v1/commands?node=" + prod.node(), Harness.BUILDS_ONLY).status()).isEqualTo(403);
            assertThat(api.get("/v1/commands?node=" + build.node(), Harness.BUILDS_ONLY).body().path("commands")).hasSize(1);

            String nodes = api.get("/v1/nodes", Harness.BUILDS_ONLY).raw();
            assertThat(nodes).contains(build.node()).doesNotContain(prod.node());
            assertThat(api.get("/v1/nodes/" + prod.node(), Harness.BUILDS_ONLY).status()).isEqualTo(404);
            assertThat(api.get("/v1/nodes", Harness.READ).raw()).as("an unlimited token sees both").contains(prod.node());

            await().atMost(Duration.ofSeconds(10)).until(() -> events.named("result").stream()
                    .anyMatch(e -> e.data().path("id").asText().equals(onBuild)));
            assertThat(events.events).as("no event about the node out of reach")
                    .noneMatch(e -> e.data().toString().contains(prod.node()) || e.data().toString().contains(onProd));
        }

        SimulatedNode held = node("HostOps2", SimulatedNode.Mode.ASK);
        String asked = submitted(held);
        held.askApproval(asked, List.of("docker", "compose", "up"));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/approvals?state=pending", Harness.READ).raw().contains(asked));
        assertThat(api.get("/v1/approvals?state=pending", Harness.BUILDS_ONLY).raw()).doesNotContain(asked);
    }

    /** A command on {@code node}, submitted with an unrestricted token and held there (RUNNING, or DELIVERED on a node that asks). */
    private String submitted(SimulatedNode node) {
        Api.Reply r = api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"" + node.node() + "\",\"argv\":[\"sleep\",\"60\"]}");
        String id = r.body().path("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> node.execs().stream().anyMatch(e -> e.id().equals(id)));
        return id;
    }

    @Test
    void aTokensNodesAreCheckedWhenTheFileIsRead() {
        JsonNode bad = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(Map.of("tokens", List.of(
                Map.of("name", "x", "token", "0123456789abcdef0123", "roles", List.of("submit"), "nodes", List.of("build/*")))));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenStore.parse(bad))
                .hasMessageContaining("tokens[0] (x).nodes").hasMessageContaining("'build/*'");
        JsonNode empty = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(Map.of("tokens", List.of(
                Map.of("name", "x", "token", "0123456789abcdef0123", "roles", List.of("submit"), "nodes", List.of()))));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenStore.parse(empty)).hasMessageContaining("at least one");
        assertThat(NodeScope.of(List.of("build-*", "HostOps-Win")).allows("HostOps-Win")).isTrue();
        assertThat(NodeScope.of(List.of("build-*")).allows("prod-build-1")).isFalse();
    }
}
