package dev.hostops.dispatcher;

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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One request to many simulated nodes: deadlines, concurrency, the error budget, selectors. */
class FanOutTest extends OnMosquitto {
    final List<SimulatedNode> nodes = new ArrayList<>();
    final String prefix = "fan-" + UUID.randomUUID().toString().substring(0, 6) + "-";

    @AfterEach
    void closeNodes() {
        nodes.forEach(SimulatedNode::close);   // before the dispatcher closes (subclass @AfterEach first)
    }

    private SimulatedNode node(String name, SimulatedNode.Mode mode, Map<String, String> labels) {
        SimulatedNode n = SimulatedNode.start(prefix + name, mosquitto.url(), mode, labels, "linux");
        nodes.add(n);
        return n;
    }

    @Test
    void fiveNodesWithOneOfflineFourSucceedAndTheOfflineOneExpires() {
        for (int i = 1; i <= 4; i++) {
            node("n" + i, SimulatedNode.Mode.SUCCEED, Map.of());
        }
        String targets = "\"" + prefix + "n1\",\"" + prefix + "n2\",\"" + prefix + "n3\",\"" + prefix + "n4\",\"" + prefix + "gone\"";
        Api.Reply r = api.post("/v1/commands?wait=30", Harness.SUBMIT,
                "{\"nodes\":[" + targets + "],\"argv\":[\"git\",\"fetch\"],\"expiresIn\":\"2s\",\"maxErrors\":\"50%\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode view = r.body();
        assertThat(view.path("state").asText()).isEqualTo("DONE");
        assertThat(view.path("total").asInt()).isEqualTo(5);
        assertThat(view.path("counts").path("SUCCEEDED").asInt()).isEqualTo(4);
        assertThat(view.path("counts").path("EXPIRED").asInt()).isEqualTo(1);
        assertThat(statusByNode(view)).containsEntry(prefix + "gone", "EXPIRED");
        JsonNode first = view.path("invocations").get(0).path("command");
        assertThat(first.has("resultJson")).isFalse();
        assertThat(first.path("result").isObject() || first.path("result").isNull()).isTrue();

        String requestId = view.path("requestId").asText();
        Api.Reply again = api.get("/v1/requests/" + requestId, Harness.READ);
        assertThat(again.body().path("counts").path("SUCCEEDED").asInt()).isEqualTo(4);
        assertThat(api.get("/v1/commands/" + requestId, Harness.READ).body().path("requestId").asText()).isEqualTo(requestId);
        assertThat(api.get("/v1/commands?requestId=" + requestId, Harness.READ).body().path("commands")).hasSize(5);
    }

    @Test
    void withoutDetailsEachInvocationIsItsNodeCommandIdAndStatus() {
        for (int i = 1; i <= 3; i++) {
            node("b" + i, SimulatedNode.Mode.SUCCEED, Map.of());
        }
        String targets = "\"" + prefix + "b1\",\"" + prefix + "b2\",\"" + prefix + "b3\"";
        // One at a time, so the request is looked at while it runs before it is answered.
        Api.Reply r = api.post("/v1/commands?wait=30&details=false", Harness.SUBMIT,
                "{\"id\":\"" + prefix + "brief\",\"nodes\":[" + targets + "],\"argv\":[\"git\",\"fetch\"],\"maxConcurrency\":1}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        String requestId = prefix + "brief";
        for (JsonNode view : List.of(r.body(), api.get("/v1/requests/" + requestId + "?details=false", Harness.READ).body(),
                api.get("/v1/commands/" + requestId + "?details=false", Harness.READ).body())) {
            assertThat(view.path("state").asText()).isEqualTo("DONE");
            assertThat(view.path("counts").path("SUCCEEDED").asInt()).isEqualTo(3);
            assertThat(view.path("invocations")).hasSize(3).allSatisfy(i -> {
                assertThat(i.fieldNames()).toIterable().containsExactly("node", "commandId", "status");
                assertThat(i.path("commandId").asText()).isEqualTo(requestId + "." + i.path("node").asText());
                assertThat(i.path("status").asText()).isEqualTo("SUCCEEDED");
            });
        }
        JsonNode whole = api.get("/v1/requests/" + requestId, Harness.READ).body();
        assertThat(whole.path("invocations").get(0).path("command").path("id").asText()).isEqualTo(requestId + "." + prefix + "b1");
    }

    @Test
    void maxErrorsStopsFurtherDispatchAndTheRestAreNotStarted() {
        List<SimulatedNode> failing = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            failing.add(node("f" + i, SimulatedNode.Mode.FAIL, Map.of()));
        }
        String targets = failing.stream().map(n -> "\"" + n.node() + "\"").collect(Collectors.joining(","));
        Api.Reply r = api.post("/v1/commands?wait=30", Harness.SUBMIT,
                "{\"nodes\":[" + targets + "],\"argv\":[\"false\"],\"maxConcurrency\":1,\"maxErrors\":1}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode view = r.body();
        assertThat(view.path("state").asText()).isEqualTo("STOPPED");
        assertThat(view.path("counts").path("FAILED").asInt()).isEqualTo(2);
        assertThat(view.path("counts").path("NOT_STARTED").asInt()).isEqualTo(3);
        assertThat(failing.subList(0, 2)).allMatch(n -> n.execs().size() == 1);
        assertThat(failing.subList(2, 5)).allMatch(n -> n.execs().isEmpty());
    }

    @Test
    void concurrencyLimitHoldsTheRestPending() {
        List<SimulatedNode> held = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            held.add(node("h" + i, SimulatedNode.Mode.HOLD, Map.of()));
        }
        String targets = held.stream().map(n -> "\"" + n.node() + "\"").collect(Collectors.joining(","));
        Api.Reply r = api.post("/v1/commands", Harness.SUBMIT, "{\"nodes\":[" + targets + "],\"argv\":[\"deploy\"],\"maxConcurrency\":2}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        assertThat(r.body().path("counts").path("PENDING").asInt()).isEqualTo(1);
        String requestId = r.body().path("requestId").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> held.get(0).execs().size() == 1 && held.get(1).execs().size() == 1);
        assertThat(held.get(2).execs()).isEmpty();
        held.get(0).finish(requestId + "." + held.get(0).node(), dev.hostops.contracts.CommandStatus.SUCCEEDED, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> held.get(2).execs().size() == 1);
    }

    @Test
    void restartedDispatcherGoesOnDispatchingThePendingInvocations() {
        List<SimulatedNode> held = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            held.add(node("r" + i, SimulatedNode.Mode.HOLD, Map.of()));
        }
        String targets = held.stream().map(n -> "\"" + n.node() + "\"").collect(Collectors.joining(","));
        Api.Reply r = api.post("/v1/commands", Harness.SUBMIT, "{\"nodes\":[" + targets + "],\"argv\":[\"deploy\"],\"maxConcurrency\":1}");
        String requestId = r.body().path("requestId").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> held.get(0).execs().size() == 1);

        harness.restart();
        api = harness.api();
        for (int i = 0; i < 3; i++) {
            SimulatedNode n = held.get(i);
            await().atMost(Duration.ofSeconds(10)).until(() -> n.execs().size() == 1);
            n.finish(requestId + "." + n.node(), dev.hostops.contracts.CommandStatus.SUCCEEDED, 0);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/v1/requests/" + requestId, Harness.READ).body().path("state").asText().equals("DONE"));
        JsonNode view = api.get("/v1/requests/" + requestId, Harness.READ).body();
        assertThat(view.path("counts").path("SUCCEEDED").asInt()).isEqualTo(3);
        assertThat(view.path("tracked").asBoolean()).isTrue();
        assertThat(held).allMatch(n -> n.execs().size() == 1);
    }

    @Test
    void selectorChoosesNodesByLabel() {
        String team = "team-" + UUID.randomUUID().toString().substring(0, 6);
        node("a", SimulatedNode.Mode.SUCCEED, Map.of("team", team));
        node("b", SimulatedNode.Mode.SUCCEED, Map.of("team", team));
        SimulatedNode other = node("c", SimulatedNode.Mode.SUCCEED, Map.of("team", "other"));
        await().atMost(Duration.ofSeconds(10)).until(() -> nodes.stream().allMatch(n -> api.get("/v1/nodes/" + n.node(), Harness.READ).status() == 200));
        Api.Reply r = api.post("/v1/commands?wait=30", Harness.SUBMIT,
                "{\"selector\":{\"labels\":{\"team\":\"" + team + "\"},\"os\":\"LINUX\"},\"argv\":[\"uptime\"]}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(statusByNode(r.body())).containsOnlyKeys(prefix + "a", prefix + "b");
        assertThat(other.execs()).isEmpty();
        Api.Reply none = api.post("/v1/commands", Harness.SUBMIT, "{\"selector\":{\"labels\":{\"team\":\"nobody-" + team + "\"}},\"argv\":[\"uptime\"]}");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.message()).contains("selector");
    }

    @Test
    void theSameRequestSentAgainIsAnsweredNotRunAgainAlsoAfterARestart() {
        node("a", SimulatedNode.Mode.SUCCEED, Map.of());
        node("b", SimulatedNode.Mode.SUCCEED, Map.of());
        String body = "{\"id\":\"" + prefix + "req\",\"nodes\":[\"" + prefix + "a\",\"" + prefix + "b\"],\"argv\":[\"uptime\"],"
                + "\"expiresIn\":\"5m\"}";
        assertThat(api.post("/v1/commands?wait=20", Harness.SUBMIT, body).status()).isEqualTo(200);
        Api.Reply twice = api.post("/v1/commands", Harness.SUBMIT, body);
        assertThat(twice.status()).as(twice.raw()).isEqualTo(200);
        assertThat(twice.body().path("counts").path("SUCCEEDED").asInt()).isEqualTo(2);
        expectConflict(api.post("/v1/commands", Harness.SUBMIT, body.replace("uptime", "reboot")), prefix + "req");
        expectConflict(api.post("/v1/commands", Harness.SUBMIT, body.replace("}", ",\"maxErrors\":1}")),
                prefix + "req");
        expectConflict(api.post("/v1/commands", Harness.ADMIN, body), prefix + "req"); // another token's request
        // A new dispatcher on the same ledger has no run in memory: the ledger's invocations are compared.
        harness.restart();
        api = harness.api();
        Api.Reply afterRestart = api.post("/v1/commands", Harness.SUBMIT, body);
        assertThat(afterRestart.status()).as(afterRestart.raw()).isEqualTo(200);
        assertThat(afterRestart.body().path("tracked").asBoolean()).isFalse();
        expectConflict(api.post("/v1/commands", Harness.SUBMIT, body.replace("uptime", "reboot")), prefix + "req");
        expectConflict(api.post("/v1/commands", Harness.SUBMIT, body.replace("\"" + prefix + "b\"", "\"" + prefix + "c\"")), prefix + "req");
        expectConflict(api.post("/v1/commands", Harness.ADMIN, body), prefix + "req");
        assertThat(nodes).allMatch(n -> n.execs().size() == 1);
    }

    @Test
    void anInvocationWhoseIdASingleCommandTookFailsToDispatchAndTheRequestStillEnds() {
        node("a", SimulatedNode.Mode.SUCCEED, Map.of());
        SimulatedNode b = node("b", SimulatedNode.Mode.SUCCEED, Map.of());
        String taken = prefix + "clash." + prefix + "b";
        Api.Reply single = api.post("/v1/commands?wait=20", Harness.SUBMIT,
                "{\"id\":\"" + taken + "\",\"node\":\"" + prefix + "b\",\"argv\":[\"uptime\"]}");
        assertThat(single.status()).as(single.raw()).isEqualTo(200);
        Api.Reply r = api.post("/v1/commands?wait=20", Harness.SUBMIT, "{\"id\":\"" + prefix + "clash\",\"nodes\":[\"" + prefix + "a\",\""
                + prefix + "b\"],\"argv\":[\"uptime\"],\"maxErrors\":1}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().path("state").asText()).isEqualTo("DONE");
        assertThat(r.body().path("errors").asInt()).isEqualTo(1);
        assertThat(statusByNode(r.body())).containsEntry(prefix + "a", "SUCCEEDED").containsEntry(prefix + "b", "DISPATCH_FAILED");
        JsonNode failed = r.body().path("invocations").get(1);
        assertThat(failed.path("error").path("code").asText()).isEqualTo("ID_CONFLICT");
        assertThat(api.get("/v1/requests/" + prefix + "clash?details=false", Harness.READ).body().path("invocations").get(1)
                .path("error").path("code").asText()).isEqualTo("ID_CONFLICT");
        assertThat(b.execs()).as("only the single command reached b").hasSize(1);
        assertThat(api.get("/v1/commands/" + taken, Harness.READ).body().path("requestId").isNull()).isTrue();
    }

    @Test
    void aRequestAndASingleCommandNeverShareAnId() {
        node("a", SimulatedNode.Mode.HOLD, Map.of());
        Api.Reply single = api.post("/v1/commands", Harness.SUBMIT, "{\"id\":\"" + prefix + "one\",\"node\":\"" + prefix + "a\",\"argv\":[\"x\"]}");
        assertThat(single.status()).as(single.raw()).isEqualTo(202);
        expectConflict(api.post("/v1/commands", Harness.SUBMIT, "{\"id\":\"" + prefix + "one\",\"nodes\":[\"" + prefix + "a\"],\"argv\":[\"x\"]}"),
                prefix + "one");
        Api.Reply many = api.post("/v1/commands", Harness.SUBMIT, "{\"id\":\"" + prefix + "many\",\"nodes\":[\"" + prefix + "a\"],\"argv\":[\"x\"]}");
        assertThat(many.status()).as(many.raw()).isEqualTo(202);
        expectConflict(api.post("/v1/commands", Harness.SUBMIT, "{\"id\":\"" + prefix + "many\",\"node\":\"" + prefix + "a\",\"argv\":[\"x\"]}"),
                prefix + "many");
        assertThat(api.get("/v1/commands/" + prefix + "many", Harness.READ).body().path("requestId").asText()).isEqualTo(prefix + "many");
    }

    private static void expectConflict(Api.Reply r, String mentions) {
        assertThat(r.status()).as(r.raw()).isEqualTo(409);
        assertThat(r.code()).isEqualTo("ID_CONFLICT");
        assertThat(r.message()).contains(mentions);
    }

    private static Map<String, String> statusByNode(JsonNode view) {
        Map<String, String> out = new java.util.TreeMap<>();
        view.path("invocations").forEach(i -> out.put(i.path("node").asText(), i.path("status").asText()));
        return out;
    }
}
