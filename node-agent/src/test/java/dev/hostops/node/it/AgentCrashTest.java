package dev.hostops.node.it;

import dev.hostops.node.testing.TestBrokers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Result;
import dev.hostops.node.NodeAgent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
            Process agentProcess = startAgentProcess(broker, host);
            try {
                Exec exec = Exec.of(id, host.node, List.of(slow.toString()));
                tier2.send(host.node, exec);
                Awaitility.await("the command runs").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(childPid));

                agentProcess.destroyForcibly();   // SIGKILL: no shutdown hook, no clean disconnect
                assertThat(agentProcess.waitFor(10, TimeUnit.SECONDS)).isTrue();

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
                agentProcess.destroyForcibly();
                if (Files.exists(childPid)) {
                    long pid = Long.parseLong(Files.readString(childPid).trim());
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    private static Process startAgentProcess(BrokerUrl broker, TestHost host) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(AgentProcessMain.class.getName());
        cmd.add(broker.toString());
        cmd.add(host.node);
        cmd.add(host.policy.toString());
        cmd.add(host.data.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while ((line = out.readLine()) != null) {
            if (line.contains("AGENT-STARTED")) {
                // Keep draining its output so the child never blocks on a full pipe.
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "agent-output");
                drain.setDaemon(true);
                drain.start();
                return p;
            }
            if (System.nanoTime() > end) {
                break;
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the agent process did not start");
    }
}
