package dev.hostops.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.Exec;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeConfig;
import dev.hostops.node.store.NodeStore;
import dev.hostops.node.testing.TestBrokers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's optional local endpoints: /healthz says it runs and is connected, /metrics counts commands. */
class HealthEndpointTest {
    @TempDir
    Path tmp;

    @Test
    void healthzAndMetricsAnswerOnTheConfiguredAddress() throws Exception {
        BrokerUrl broker = TestBrokers.mqtt();
        TestHost host = new TestHost(tmp, "health-" + UUID.randomUUID().toString().substring(0, 8));
        NodeConfig base = host.config(broker, NodeStore.Durability.NORMAL);
        NodeConfig config = new NodeConfig(base.broker(), base.nodeId(), base.policyFile(), base.dataDir(), base.maxConcurrency(),
                base.defaultTimeout(), base.maxTimeout(), base.heartbeat(), base.retention(), base.durability(), Map.of(),
                new InetSocketAddress("127.0.0.1", 0), null);
        try (Orchestrator tier2 = new Orchestrator(broker, host.node); NodeAgent agent = new NodeAgent(config)) {
            agent.start();
            String id = UUID.randomUUID().toString();
            tier2.send(host.node, Exec.of(id, host.node, List.of("/usr/bin/true")));
            assertThat(tier2.awaitResult(id).status()).isEqualTo(CommandStatus.SUCCEEDED);

            InetSocketAddress at = agent.httpAddress().orElseThrow();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + "/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"ok\"").contains("\"node\":\"" + host.node + "\"")
                    .contains("\"broker\":\"CONNECTED\"");

            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("hostops_node_commands_total{status=\"SUCCEEDED\"} 1.0")
                    .contains("hostops_node_policy_decisions_total");

            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + "/nope"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(other.body()).contains("\"code\":\"NOT_FOUND\"");
        }
    }
}
