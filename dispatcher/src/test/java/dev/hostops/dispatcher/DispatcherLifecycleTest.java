package dev.hostops.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.awaitility.Awaitility.await;

import dev.hostops.broker.testing.MosquittoProcess;
import dev.hostops.dispatcher.testing.Api;
import dev.hostops.dispatcher.testing.Harness;
import dev.hostops.dispatcher.testing.SimulatedNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** start/close are idempotent, a failed start releases what it started, a closed dispatcher stays closed. */
class DispatcherLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void startCloseAndFailedStart() throws Exception {
        try (MosquittoProcess mosquitto = MosquittoProcess.start(dir.resolve("broker"))) {
            DispatcherConfig.Builder base = DispatcherConfig.builder()
                    .broker(mosquitto.url().toString())
                    .clientId("lifecycle-" + System.nanoTime())
                    .dataDir(dir.resolve("data"));

            Dispatcher d = new Dispatcher(base.http("127.0.0.1:0").build());
            assertThat(d.state()).isEqualTo(DispatcherState.NEW);
            d.start();
            d.start();
            assertThat(d.state()).isEqualTo(DispatcherState.RUNNING);
            assertThat(d.httpPort()).isPositive();
            d.close();
            d.close();
            assertThat(d.state()).isEqualTo(DispatcherState.CLOSED);
            assertThatThrownBy(d::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("CLOSED");

            try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 Dispatcher running = new Dispatcher(base.dataDir(dir.resolve("running")).http("127.0.0.1:0").build())) {
                running.start(); // the same client id: a second start that connected would take its session over
                base.dataDir(dir.resolve("data"));
                Dispatcher clash = new Dispatcher(base.http("127.0.0.1:" + busy.getLocalPort()).build());
                assertThatThrownBy(clash::start).hasMessageContaining("cannot listen on 127.0.0.1:" + busy.getLocalPort())
                        .hasMessageContaining("--http");
                assertThat(clash.state()).isEqualTo(DispatcherState.CLOSED);
                // It failed before it connected: a running dispatcher with its client id would have lost its session.
                assertThat(java.nio.file.Files.readString(mosquitto.logFile())).doesNotContain("already connected");
            }
            // the failed start released the ledger and the broker session: a new one starts on the same data
            try (Dispatcher again = new Dispatcher(base.http("127.0.0.1:0").build())) {
                again.start();
                assertThat(again.state()).isEqualTo(DispatcherState.RUNNING);
            }
        }
    }

    @Test
    void startsWithoutTheBrokerAndConnectsWhenItComesUp() throws Exception {
        try (MosquittoProcess mosquitto = MosquittoProcess.start(dir.resolve("broker2"))) {
            mosquitto.stop();
            try (Harness h = new Harness(dir.resolve("d2"), mosquitto.url(), java.time.Duration.ofSeconds(60))) {
                assertThat(h.dispatcher().state()).isEqualTo(DispatcherState.RUNNING);
                Api.Reply ready = h.api().get("/readyz", null);
                assertThat(ready.status()).isEqualTo(503);
                assertThat(ready.body().path("broker").asText()).isEqualTo("CONNECTING");
                assertThat(ready.body().path("brokerError").asText()).isNotBlank();
                String node = "late-" + java.util.UUID.randomUUID().toString().substring(0, 8);
                Api.Reply r = h.api().post("/v1/commands", Harness.SUBMIT, "{\"node\":\"" + node + "\",\"argv\":[\"true\"]}");
                assertThat(r.status()).as(r.raw()).isEqualTo(202);
                assertThat(r.body().path("published").asBoolean()).isFalse();

                mosquitto.start();
                try (SimulatedNode sim = SimulatedNode.start(node, mosquitto.url(), SimulatedNode.Mode.SUCCEED)) {
                    await().atMost(java.time.Duration.ofSeconds(30)).until(() -> h.api().get("/readyz", null).status() == 200);
                    String id = r.body().path("id").asText();
                    await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                            h.api().get("/v1/commands/" + id, Harness.READ).body().path("status").asText().equals("SUCCEEDED"));
                }
            }
        }
    }
}
