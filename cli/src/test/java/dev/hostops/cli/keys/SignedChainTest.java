package dev.hostops.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import dev.hostops.broker.testing.MosquittoProcess;
import dev.hostops.cli.Main;
import dev.hostops.contracts.Topics;
import dev.hostops.dispatcher.Dispatcher;
import dev.hostops.dispatcher.DispatcherConfig;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeConfig;
import dev.hostops.node.store.NodeStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain as an operator sets it up: {@code hostops keys generate}, its printed policy entry
 * pasted into a node's policy, the private key as the dispatcher's {@code signingKey}. A command
 * submitted through the dispatcher's API runs on the real node agent; an unsigned one published
 * straight to the broker is REJECTED with BAD_SIGNATURE, as the dispatcher's ledger shows.
 */
class SignedChainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "submit-token-" + UUID.randomUUID();

    @TempDir
    Path tmp;

    @Test
    void dispatcher_signed_commands_run_and_raw_unsigned_ones_are_refused() throws Exception {
        Path root = tmp.toRealPath();
        Path keys = Files.createDirectories(root.resolve("node"));
        PrintStream oldOut = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("keys", "generate", "--out", keys.toString(), "--name", "dispatcher")).isZero();
        } finally {
            System.setOut(oldOut);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        String snippet = text.substring(text.indexOf("requireSignature: true"));

        Path bin = Files.createDirectories(root.resolve("bin"));
        Path marker = bin.resolve("marker");
        Files.writeString(marker, "#!/bin/sh\ntouch \"$1\"\n");
        Files.setPosixFilePermissions(marker, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path policy = keys.resolve("policy.yaml");
        Files.writeString(policy, "security: allowlist\nask: off\n" + snippet + "allow:\n  - path: \"" + bin + "/*\"\n");
        Path tokens = root.resolve("tokens.yaml");
        Files.writeString(tokens, "tokens:\n  - {name: tier2, token: \"" + TOKEN + "\", roles: [submit, read]}\n");

        String node = "chain-" + UUID.randomUUID().toString().substring(0, 8);
        try (MosquittoProcess mosquitto = MosquittoProcess.start(Files.createDirectories(root.resolve("broker")))) {
            NodeAgent agent = new NodeAgent(new NodeConfig(mosquitto.url(), node, policy, root.resolve("node-data"), 2,
                    Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofDays(1),
                    NodeStore.Durability.NORMAL, Map.of(), null, null));
            Dispatcher dispatcher = new Dispatcher(DispatcherConfig.builder()
                    .broker(mosquitto.url().toString())
                    .clientId("chain-dispatcher-" + UUID.randomUUID().toString().substring(0, 8))
                    .dataDir(root.resolve("dispatcher-data"))
                    .http("127.0.0.1:0")
                    .tokens(tokens)
                    .signingKey(keys.resolve("dispatcher.key"))
                    .build());
            try (agent; dispatcher) {
                agent.start();
                dispatcher.start();
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + dispatcher.httpPort();

                Path ran = root.resolve("ran");
                JsonNode done = call(http, HttpRequest.newBuilder(URI.create(base + "/v1/commands?wait=30"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"" + node + "\",\"argv\":[\"" + marker + "\",\"" + ran + "\"]}")));
                assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
                assertThat(ran).exists();

                String rawId = UUID.randomUUID().toString();
                Path rawRan = root.resolve("raw-ran");
                try (Transport raw = Transports.create(TransportOptions.builder(mosquitto.url(), "raw-" + UUID.randomUUID()).build())) {
                    raw.connect().get(10, TimeUnit.SECONDS);
                    raw.publish(OutboundMessage.reliable(Topics.cmd(node), ("{\"v\":1,\"type\":\"exec\",\"id\":\"" + rawId + "\",\"node\":\""
                            + node + "\",\"argv\":[\"" + marker + "\",\"" + rawRan + "\"]}").getBytes(StandardCharsets.UTF_8)))
                            .get(10, TimeUnit.SECONDS);
                }
                Awaitility.await("the raw command's result in the ledger").atMost(Duration.ofSeconds(30)).until(() ->
                        call(http, HttpRequest.newBuilder(URI.create(base + "/v1/commands/" + rawId)).GET()).path("status").asText().equals("REJECTED"));
                JsonNode rejected = call(http, HttpRequest.newBuilder(URI.create(base + "/v1/commands/" + rawId)).GET());
                assertThat(rejected.toString()).contains("BAD_SIGNATURE");
                assertThat(rawRan).doesNotExist();
            }
        }
    }

    private static JsonNode call(HttpClient http, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = http.send(request.header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }
}
