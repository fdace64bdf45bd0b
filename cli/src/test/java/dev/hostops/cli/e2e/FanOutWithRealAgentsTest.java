package dev.hostops.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hostops.broker.testing.MosquittoProcess;
import dev.hostops.cli.client.ApiClient;
import dev.hostops.dispatcher.Dispatcher;
import dev.hostops.dispatcher.DispatcherConfig;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One request to five real node agents, one of them offline: the four run it, the offline one's
 * invocation expires at its deadline, and when that agent comes back it never runs the stale
 * command. Real broker (Mosquitto with the project's config), real processes, real ledger.
 */
class FanOutWithRealAgentsTest {
    static final String TOKEN = "fanout-test-token-0123456789abcdef0123456789";

    @TempDir
    Path tmp;

    @Test
    void fourAgentsSucceedTheOfflineOneExpiresAndNeverRunsIt() throws Exception {
        Path root = tmp.toRealPath();
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path marks = Files.createDirectories(root.resolve("marks"));
        Path mark = bin.resolve("mark");
        Files.writeString(mark, "#!/bin/sh\necho run >> \"" + marks + "/$1\"\n");
        Files.setPosixFilePermissions(mark, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path policy = root.resolve("policy.yaml");
        Files.writeString(policy, "security: allowlist\nask: off\nallow:\n  - path: \"" + bin + "/*\"\n");
        Path tokens = root.resolve("tokens.yaml");
        Files.writeString(tokens, "tokens:\n  - name: tier2\n    token: \"" + TOKEN + "\"\n    roles: [submit, read]\n");

        try (MosquittoProcess broker = MosquittoProcess.start(Files.createDirectories(root.resolve("broker")));
             Dispatcher dispatcher = new Dispatcher(DispatcherConfig.builder().broker(broker.url().toString())
                     .dataDir(root.resolve("dispatcher")).http("127.0.0.1:0").tokens(tokens)
                     .expiryGrace(Duration.ofMillis(500)).sweepInterval(Duration.ofMillis(200)).build())) {
            dispatcher.start();
            List<NodeAgent> agents = new ArrayList<>();
            List<String> nodes = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                String node = "fan-" + i;
                nodes.add(node);
                NodeAgent agent = agent(broker.url().toString(), node, policy, root);
                agent.start();
                agents.add(agent);
            }
            ApiClient api = new ApiClient("http://127.0.0.1:" + dispatcher.httpPort(), TOKEN);
            Awaitility.await().until(() -> api.get("/v1/nodes").toString().split("\"online\"", -1).length - 1 >= 5);
            agents.get(4).close();   // fan-5 goes offline; its session keeps what is sent to it
            Awaitility.await().until(() -> api.get("/v1/nodes/fan-5").path("state").asText().equals("offline"));

            JsonNode view = api.post("/v1/commands?wait=30", Map.of("id", "fan-request", "nodes", nodes,
                    "argv", List.of(mark.toString(), "ran"), "expiresIn", "2s", "maxErrors", "1"));
            for (int i = 0; i < 60 && view.path("state").asText().equals("RUNNING"); i++) {
                Thread.sleep(250);   // the request view has no wait of its own on GET
                view = api.get("/v1/requests/fan-request");
            }

            assertThat(view.path("state").asText()).isEqualTo("DONE");
            assertThat(view.path("counts").path("SUCCEEDED").asInt()).isEqualTo(4);
            assertThat(view.path("counts").path("EXPIRED").asInt()).isEqualTo(1);

            // The offline agent comes back after the deadline: the stale command never runs.
            NodeAgent back = agent(broker.url().toString(), "fan-5", policy, root);
            back.start();
            agents.set(4, back);
            Awaitility.await().until(() -> api.get("/v1/nodes/fan-5").path("state").asText().equals("online"));
            // The broker let the message expire with its deadline (or the agent refuses it as EXPIRED):
            // either way it stays EXPIRED and there are still four runs, none on fan-5.
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
                    api.get("/v1/commands/fan-request.fan-5").path("status").asText().equals("EXPIRED")
                            && Files.readAllLines(marks.resolve("ran")).size() == 4);
            agents.forEach(NodeAgent::close);
        }
    }

    private static NodeAgent agent(String broker, String node, Path policy, Path root) {
        return new NodeAgent(new NodeConfigLoader().set("broker", broker).set("node", node).set("policy", policy.toString())
                .set("dataDir", root.resolve("node-" + node).toString()).set("durability", "normal").build());
    }
}
