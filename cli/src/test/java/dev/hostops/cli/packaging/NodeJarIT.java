package dev.hostops.cli.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import dev.hostops.broker.testing.MosquittoProcess;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Result;
import dev.hostops.node.bench.AgentProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code hostops-node.jar} (made in the package phase, so this runs as an
 * integration test): it holds none of the embedded broker or the dispatcher, and an agent started
 * from it the way the launcher starts one (AgentProcess: NodeJvmOptions) runs a real command end
 * to end.
 */
class NodeJarIT {
    private static final Path NODE_JAR = Path.of("target", "hostops-node.jar").toAbsolutePath();
    private final MessageCodec codec = MessageCodec.standard();

    @TempDir
    Path dir;

    @Test
    void holdsOnlyWhatANodeNeeds() throws Exception {
        assertThat(NODE_JAR).as("built by mvn package").isRegularFile();
        try (JarFile jar = new JarFile(NODE_JAR.toFile())) {
            assertThat(jar.getEntry("dev/hostops/cli/NodeMain.class")).isNotNull();
            assertThat(jar.getEntry("dev/hostops/node/NodeAgent.class")).isNotNull();
            assertThat(jar.getEntry("dev/hostops/dispatcher/Dispatcher.class")).isNull();
            assertThat(jar.stream().anyMatch(e -> e.getName().startsWith("com/hivemq/embedded/"))).isFalse();
            assertThat(jar.stream().count()).as("entries").isLessThan(15_000);
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.hostops.cli.NodeMain");
        }
    }

    @Test
    void anAgentStartedFromItRunsACommand() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "security: allowlist\nask: off\nallow:\n  - path: /usr/bin/echo\n");
        String node = "nodejar-" + UUID.randomUUID().toString().substring(0, 8);
        try (MosquittoProcess mosquitto = MosquittoProcess.start(dir.resolve("broker"));
             Transport client = Transports.create(TransportOptions.builder(mosquitto.url(), "it-" + node).build())) {
            client.connect().get(10, TimeUnit.SECONDS);
            CompletableFuture<Result> result = new CompletableFuture<>();
            client.subscribe(Topics.result(node), Qos.AT_LEAST_ONCE,
                    m -> result.complete(codec.decode(m.payload(), Result.class))).get(10, TimeUnit.SECONDS);

            try (AgentProcess agent = AgentProcess.start(NODE_JAR, mosquitto.url(), client, node, policy,
                    dir.resolve("data"), List.of(), Map.of())) {
                Exec exec = Exec.of("nodejar-" + UUID.randomUUID(), node, List.of("/usr/bin/echo", "from the node jar"));
                client.publish(OutboundMessage.reliable(Topics.cmd(node), codec.encode(exec))).get(10, TimeUnit.SECONDS);

                Result r = result.get(60, TimeUnit.SECONDS);
                assertThat(r.id()).isEqualTo(exec.id());
                assertThat(r.status()).as(Files.readString(agent.log())).isEqualTo(CommandStatus.SUCCEEDED);
                assertThat(r.stdoutTail()).isEqualTo("from the node jar\n");
                // logging set up in code (LogSetup): one line per event on stderr, time level logger - message
                assertThat(Files.readString(agent.log()))
                        .containsPattern("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO  NodeAgent - node " + node + " online");
            }
        }
    }
}
