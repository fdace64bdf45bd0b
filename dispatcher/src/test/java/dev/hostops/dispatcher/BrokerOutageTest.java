package dev.hostops.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hostops.broker.testing.MosquittoProcess;
import dev.hostops.dispatcher.testing.Api;
import dev.hostops.dispatcher.testing.Harness;
import dev.hostops.dispatcher.testing.SimulatedNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands accepted while the broker is down are kept (QUEUED, in the outbox) and published when it is back. */
class BrokerOutageTest {
    @TempDir
    Path dir;
    MosquittoProcess mosquitto;
    Harness harness;
    String nodeId = "out-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void start() {
        mosquitto = MosquittoProcess.start(dir.resolve("broker"));
        harness = new Harness(dir.resolve("dispatcher"), mosquitto.url(), Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() {
        harness.close();
        mosquitto.close();
    }

    @Test
    void commandAcceptedWhileTheBrokerIsDownIsPublishedWhenItIsBack() {
        Api api = harness.api();
        mosquitto.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/readyz", null).status() == 503);

        Api.Reply r = api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"" + nodeId + "\",\"argv\":[\"git\",\"pull\"]}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        assertThat(r.body().path("status").asText()).isEqualTo("QUEUED");
        assertThat(r.body().path("published").asBoolean()).isFalse();
        String id = r.body().path("id").asText();

        mosquitto.start();
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.SUCCEED)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> status(api, id).equals("SUCCEEDED"));
            assertThat(node.execs()).extracting(e -> e.id()).containsExactly(id);
        }
    }

    @Test
    void aBrokerThatTakesPublishesButDoesNotAcknowledgeThemShowsInTheMetrics() {
        org.junit.jupiter.api.Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"), "SIGSTOP is POSIX");
        Api api = harness.api();
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.SUCCEED)) {
            mosquitto.freeze();
            Api.Reply r = api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"" + nodeId + "\",\"argv\":[\"git\",\"pull\"]}");
            assertThat(r.status()).as(r.raw()).isEqualTo(202);
            assertThat(r.body().path("published").asBoolean()).as("no acknowledgement within the publish wait").isFalse();
            assertThat(api.get("/metrics", Harness.READ).raw())
                    .contains("hostops_dispatcher_publish_failures_total{reason=\"unacknowledged\"} 1.0");
            String id = r.body().path("id").asText();

            mosquitto.thaw(); // the broker reads the publish it was sent, and the node gets it
            await().atMost(Duration.ofSeconds(30)).until(() -> status(api, id).equals("SUCCEEDED"));
            assertThat(node.execs()).extracting(e -> e.id()).containsExactly(id);
        }
    }

    @Test
    void keptCommandsSurviveADispatcherRestart() {
        Api api = harness.api();
        mosquitto.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/readyz", null).status() == 503);
        Api.Reply r = api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"" + nodeId + "\",\"argv\":[\"make\"],\"env\":{\"CI\":\"1\"},\"ask\":\"always\"}");
        assertThat(r.body().path("published").asBoolean()).as(r.raw()).isFalse();
        String id = r.body().path("id").asText();
        harness.stop();

        mosquitto.start();
        try (SimulatedNode node = SimulatedNode.start(nodeId, mosquitto.url(), SimulatedNode.Mode.SUCCEED)) {
            harness.startAgain();
            Api again = harness.api();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(again, id).equals("SUCCEEDED"));
            // the exec went out exactly as accepted, with the fields the ledger does not keep
            assertThat(node.execs()).hasSize(1);
            assertThat(node.execs().get(0).env()).containsEntry("CI", "1");
            assertThat(node.execs().get(0).ask()).isEqualTo(dev.hostops.contracts.AskMode.ALWAYS);
        }
    }

    private static String status(Api api, String id) {
        Api.Reply r = api.get("/v1/commands/" + id, Harness.READ);
        return r.status() == 200 ? r.body().path("status").asText() : "HTTP " + r.status();
    }
}
