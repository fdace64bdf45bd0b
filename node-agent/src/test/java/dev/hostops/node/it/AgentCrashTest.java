package dev.hostops.node.it;

import dev.hostops.node.testing.TestBrokers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Result;
import dev.hostops.node.NodeAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the agent while a command runs: after a restart the command is reported LOST and
 * is never run a second time, not even when the broker delivers it again.
 */
class AgentCrashTest {
    @TempDir
    Path tmp;

    @Test
    void killDashNineMidRunGivesLostAfterRestartAndNoSecondRun() throws Exception {
        BrokerUrl broker = TestBrokers.mqtt();
        TestHost host = new TestHost(tmp, "crash-" + UUID.randomUUID().toString().substring(0, 8));
        Path runs = host.root.resolve("runs");
        Path childPid = host.root.resolve("child.pid");
        Path slow = host.script("slow", "echo run >> " + runs + "\nsleep 300 &\necho $! > " + childPid + "\nwait");
        String id = UUID.randomUUID().toString();

        try (Orchestrator tier2 = new Orchestrator(broker, host.node)) {
            AgentJvm agentProcess = AgentJvm.start(broker, host);
            try {
                Exec exec = Exec.of(id, host.node, List.of(slow.toString()));
                tier2.send(host.node, exec);
                Awaitility.await("the command runs").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(childPid));

                agentProcess.kill();   // SIGKILL: no shutdown hook, no clean disconnect
                assertThat(agentProcess.process.isAlive()).isFalse();

                NodeAgent restarted = host.start(broker);
                try {
                    Result r = tier2.awaitResult(id);
                    assertThat(r.status()).isEqualTo(CommandStatus.LOST);
                    assertThat(r.error().code()).isEqualTo("LOST");

                    tier2.send(host.node, exec);   // the broker or a client delivers it again
                    Awaitility.await("the LOST result, published again").until(() -> tier2.results.get(id).size() == 2);
                    assertThat(tier2.results.get(id).get(1).status()).isEqualTo(CommandStatus.LOST);
                    assertThat(Files.readAllLines(runs)).hasSize(1);
                } finally {
                    restarted.close();
                }
            } finally {
                agentProcess.close();
                if (Files.exists(childPid)) {
                    long pid = Long.parseLong(Files.readString(childPid).trim());
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }
}
