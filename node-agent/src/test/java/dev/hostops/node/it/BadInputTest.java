package dev.hostops.node.it;

import dev.hostops.node.testing.TestBrokers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Result;
import dev.hostops.node.AgentState;
import dev.hostops.node.NodeAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of mutated messages on the cmd topic: the agent answers what it can read with
 * REJECTED, drops the rest, never crashes and never stops consuming.
 */
class BadInputTest {
    private static final int MUTANTS = 3000;

    @TempDir
    Path tmp;

    @Test
    void mutatedMessagesNeverStopTheAgent() throws Exception {
        BrokerUrl broker = TestBrokers.mqtt();
        TestHost host = new TestHost(tmp, "fuzz-" + UUID.randomUUID().toString().substring(0, 8));
        try (Orchestrator tier2 = new Orchestrator(broker, host.node); NodeAgent agent = host.start(broker)) {
            Random random = new Random(20261121);
            List<String> readableIds = new ArrayList<>();
            for (int i = 0; i < MUTANTS; i++) {
                String id = "fuzz-" + i;
                byte[] valid = MessageCodec.standard().encode(
                        Exec.of(id, host.node, List.of("/usr/bin/echo", "fuzz", Integer.toString(i))));
                byte[] mutant = Mutator.mutate(valid, random);
                tier2.publishRaw(Topics.cmd(host.node), mutant);
            }
            // Specific hostile shapes, each with a readable id: they must be answered REJECTED.
            for (String body : List.of(
                    "{\"v\":2,\"type\":\"exec\",\"id\":\"bad-version\",\"node\":\"" + host.node + "\",\"argv\":[\"/usr/bin/echo\"]}",
                    "{\"v\":1,\"type\":\"exec\",\"id\":\"bad-argv\",\"node\":\"" + host.node + "\",\"argv\":[]}",
                    "{\"v\":1,\"type\":\"exec\",\"id\":\"bad-type\",\"node\":\"" + host.node + "\",\"argv\":\"/usr/bin/echo\"}",
                    "{\"v\":1,\"type\":\"exec\",\"id\":\"bad-timeout\",\"node\":\"" + host.node + "\",\"argv\":[\"/usr/bin/echo\"],\"timeoutMs\":\"5\"}")) {
                tier2.publishRaw(Topics.cmd(host.node), body.getBytes(StandardCharsets.UTF_8));
                readableIds.add(body.substring(body.indexOf("\"id\":\"") + 6, body.indexOf('"', body.indexOf("\"id\":\"") + 6)));
            }
            // Oversized: a broker with a packet limit (the project's Mosquitto config: 1 MiB) refuses
            // it already at the client; any other broker hands it to the agent, whose codec drops it.
            try {
                tier2.publishRaw(Topics.cmd(host.node), new byte[2 * 1024 * 1024]);
            } catch (java.util.concurrent.ExecutionException refusedByTheBroker) {
                assertThat(refusedByTheBroker.getCause()).hasMessageContaining("maximum packet size");
            }

            String probe = UUID.randomUUID().toString();
            tier2.send(host.node, Exec.of(probe, host.node, List.of("/usr/bin/echo", "still alive")));

            Result r = tier2.awaitResult(probe, Duration.ofSeconds(120));
            assertThat(r.status()).isEqualTo(CommandStatus.SUCCEEDED);
            assertThat(r.stdoutTail()).isEqualTo("still alive\n");
            for (String id : readableIds) {
                Result rejected = tier2.awaitResult(id);
                assertThat(rejected.status()).as(id).isEqualTo(CommandStatus.REJECTED);
                assertThat(rejected.error().code()).as(id).isNotBlank();
            }
            assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
        }
    }
}
