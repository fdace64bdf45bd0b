package dev.hostops.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.dispatcher.testing.Api;
import dev.hostops.dispatcher.testing.Harness;
import dev.hostops.dispatcher.testing.OnMosquitto;
import dev.hostops.dispatcher.testing.RawMqtt;
import dev.hostops.dispatcher.testing.SimulatedNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Submit through the API, observe through a simulated node on a real Mosquitto, read it all back. */
class SubmitFlowTest extends OnMosquitto {
    String nodeId;

    @BeforeEach
    void node() {
        nodeId = "sim-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void submitWithWaitReturnsTheResultAndTheLogs() {
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.SUCCEED)) {
            Api.Reply r = api.post("/v1/commands?wait=20", Harness.SUBMIT,
                    "{\"node\":\"" + nodeId + "\",\"argv\":[\"git\",\"status\",\"--porcelain\"]}");
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.body().path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(r.body().path("result").path("exitCode").asInt()).isZero();
            assertThat(r.body().path("source").asText()).isEqualTo("api:submitter");
            String id = r.body().path("id").asText();

            Api.Reply got = api.get("/v1/commands/" + id, Harness.READ);
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.body().path("argv").toString()).isEqualTo("[\"git\",\"status\",\"--porcelain\"]");
            assertThat(got.body().path("times").path("running").isNull()).isFalse();

            Api.Reply logs = api.get("/v1/commands/" + id + "/logs", Harness.READ);
            assertThat(logs.status()).isEqualTo(200);
            assertThat(logs.body().path("chunks").get(0).path("data").asText()).isEqualTo("ran git status --porcelain\n");

            Api.Reply list = api.get("/v1/commands?node=" + nodeId + "&status=succeeded", Harness.READ);
            assertThat(list.body().path("commands")).hasSize(1);
            assertThat(node.execs()).hasSize(1);
        }
    }

    @Test
    void acceptsTheOpenClawExecToolBody() {
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.SUCCEED)) {
            Api.Reply r = api.post("/v1/commands?wait=20", Harness.SUBMIT, """
                    {"command":"git fetch --all --prune","host":"node","node":"%s","security":"allowlist",
                     "ask":"on-miss","workdir":"C:\\\\OpenClaw","timeout":1800}
                    """.formatted(nodeId));
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            Exec exec = node.execs().get(0);
            assertThat(exec.command()).isEqualTo("git fetch --all --prune");
            assertThat(exec.timeoutMs()).isEqualTo(1_800_000L);
            assertThat(exec.security()).isEqualTo(SecurityMode.ALLOWLIST);
            assertThat(exec.workdir()).isEqualTo("C:\\OpenClaw");
            assertThat(exec.expiresAt()).isNotNull();
        }
    }

    @Test
    void waitEndsWithWhatIsKnownWhenTheCommandIsStillRunning() {
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.HOLD)) {
            Api.Reply r = api.post("/v1/commands?wait=1", Harness.SUBMIT, "{\"node\":\"" + nodeId + "\",\"argv\":[\"sleep\",\"100\"]}");
            assertThat(r.status()).as(r.raw()).isEqualTo(202);
            assertThat(r.body().path("status").asText()).isIn("QUEUED", "DELIVERED", "RUNNING");
            assertThat(r.body().path("published").asBoolean()).isTrue();
        }
    }

    @Test
    void logsFollowStreamsLiveChunksThenTheResult() {
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.HOLD)) {
            String id = running("make");
            node.log(id, "one\n");
            try (Api.Sse sse = api.sse("/v1/commands/" + id + "/logs?follow=true", Harness.READ)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> sse.named("log").size() == 1);
                node.log(id, "two\n");
                await().atMost(Duration.ofSeconds(10)).until(() -> sse.named("log").size() == 2);
                node.finish(id, CommandStatus.SUCCEEDED, 0);
                await().atMost(Duration.ofSeconds(10)).until(() -> sse.done().isDone());
                assertThat(sse.named("log").stream().map(e -> e.data().path("data").asText()).toList()).containsExactly("one\n", "two\n");
                assertThat(sse.named("result")).hasSize(1);
                assertThat(sse.named("result").get(0).data().path("status").asText()).isEqualTo("SUCCEEDED");
            }
        }
    }

    @Test
    void aFollowerGetsAWholeBacklogInSeqOrderAndTheResult() {
        // 12 MB stored before the follower comes: sent at once, it filled the write queue and the stream was cut.
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.HOLD)) {
            String id = running("make");
            String block = "x".repeat(60 * 1024 - 1) + "\n";
            int chunks = 200;
            for (int i = 0; i < chunks; i++) {
                node.log(id, block);
            }
            node.finish(id, CommandStatus.SUCCEEDED, 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("SUCCEEDED"));
            try (Api.Sse sse = api.sse("/v1/commands/" + id + "/logs?follow=true", Harness.READ)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> sse.done().isDone());
                assertThat(sse.named("log").stream().map(e -> e.data().path("seq").asLong()).toList())
                        .isEqualTo(java.util.stream.LongStream.range(0, chunks).boxed().toList());
                assertThat(sse.named("result")).hasSize(1);
            }
        }
    }

    @Test
    void liveChunksReachAFollowerInSeqOrder() {
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.HOLD)) {
            String id = running("make");
            try (Api.Sse sse = api.sse("/v1/commands/" + id + "/logs?follow=true", Harness.READ)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/metrics", Harness.READ).raw().lines()
                        .filter(l -> l.startsWith("hostops_dispatcher_sse_streams "))
                        .anyMatch(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)) >= 1));
                int chunks = 500;
                for (int i = 0; i < chunks; i++) {
                    node.log(id, "line " + i + "\n");
                }
                node.finish(id, CommandStatus.SUCCEEDED, 0);
                await().atMost(Duration.ofSeconds(30)).until(() -> sse.done().isDone());
                assertThat(sse.named("log").stream().map(e -> e.data().path("seq").asLong()).toList())
                        .isEqualTo(java.util.stream.LongStream.range(0, chunks).boxed().toList());
            }
        }
    }

    @Test
    void commandPublishedStraightToTheBrokerIsRecordedAndCorrelated() throws Exception {
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.SUCCEED)) {
            String id = UUID.randomUUID().toString();
            RawMqtt.publish(mosquitto.url(), Topics.cmd(nodeId), MessageCodec.standard().encode(Exec.of(id, nodeId, List.of("docker", "ps"))));
            await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("SUCCEEDED"));
            JsonNode c = api.get("/v1/commands/" + id, Harness.READ).body();
            assertThat(c.path("source").asText()).isEqualTo("broker");
            assertThat(c.path("argv").toString()).isEqualTo("[\"docker\",\"ps\"]");
        }
    }

    @Test
    void badMessagesOnTheBrokerAreCountedAndSkipped() throws Exception {
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.SUCCEED)) {
            RawMqtt.publish(mosquitto.url(), Topics.result(nodeId), List.of("not json", "{\"v\":2,\"type\":\"result\"}",
                    "{\"v\":1,\"type\":\"log\",\"id\":\"x\",\"node\":\"" + nodeId + "\"}").stream()
                    .map(garbage -> garbage.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toArray(byte[][]::new));
            await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/metrics", Harness.READ).raw()
                    .lines().filter(l -> l.startsWith("hostops_dispatcher_messages_invalid_total")).count() >= 3);
            // still observing: a real command goes through afterwards
            Api.Reply r = api.post("/v1/commands?wait=20", Harness.SUBMIT, "{\"node\":\"" + nodeId + "\",\"argv\":[\"true\"]}");
            assertThat(r.body().path("status").asText()).as(r.raw()).isEqualTo("SUCCEEDED");
        }
    }

    @Test
    void eventsStreamShowsStateChangesAndResults() {
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.SUCCEED);
             Api.Sse events = api.sse("/v1/events?node=" + nodeId, Harness.READ)) {
            await().atMost(Duration.ofSeconds(5)).until(events::started);
            Api.Reply r = api.post("/v1/commands?wait=20", Harness.SUBMIT, "{\"node\":\"" + nodeId + "\",\"argv\":[\"true\"]}");
            String id = r.body().path("id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> events.named("result").stream().anyMatch(e -> e.data().path("id").asText().equals(id)));
            assertThat(events.named("state").stream().map(e -> e.data().path("status").asText())).contains("RUNNING");
            assertThat(events.named("log")).isEmpty();
        }
    }

    @Test
    void cancelReachesTheNode() {
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.HOLD)) {
            String id = running("sleep", "100");
            Api.Reply c = api.post("/v1/commands/" + id + "/cancel", Harness.SUBMIT, "{\"reason\":\"test\"}");
            assertThat(c.status()).as(c.raw()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("CANCELLED"));
            Api.Reply again = api.post("/v1/commands/" + id + "/cancel", Harness.SUBMIT, null);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.code()).isEqualTo("ALREADY_FINISHED");
        }
    }

    @Test
    void restartedDispatcherStillCorrelatesWhatHappenedWhileItWasDown() {
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.HOLD)) {
            String id = running("build");
            harness.stop();
            node.log(id, "while the dispatcher was down\n");
            node.finish(id, CommandStatus.SUCCEEDED, 0);
            harness.startAgain();
            api = harness.api();
            await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("SUCCEEDED"));
            assertThat(api.get("/v1/commands/" + id + "/logs", Harness.READ).body().path("chunks")).hasSize(1);
        }
    }

    /** Submits argv to the held node and returns its id once the node reports it RUNNING. */
    private String running(String... argv) {
        String body = "{\"node\":\"" + nodeId + "\",\"argv\":" + java.util.Arrays.stream(argv)
                .map(a -> "\"" + a + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]")) + "}";
        String id = api.post("/v1/commands", Harness.SUBMIT, body).body().path("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("RUNNING"));
        return id;
    }

    private String status(String id) {
        Api.Reply r = api.get("/v1/commands/" + id, Harness.READ);
        return r.status() == 200 ? r.body().path("status").asText() : "HTTP " + r.status();
    }
}
