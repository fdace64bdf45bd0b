package dev.hostops.cli.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.testing.MosquittoProcess;
import dev.hostops.node.NodeJvmOptions;
import dev.hostops.node.bench.AgentBench;
import dev.hostops.node.bench.AgentBenchOptions;
import dev.hostops.node.bench.AgentBenchReport;
import dev.hostops.node.store.NodeStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hostops bench agent} with the packaged node jar measures an agent in a JVM of its own,
 * started with {@link NodeJvmOptions} as the service starts it: small, every phase complete,
 * the report says how the agent ran. Checks what the report holds, never how fast it was.
 */
class AgentBenchProcessIT {
    private static final Path NODE_JAR = Path.of("target", "hostops-node.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theMeasuredAgentIsAProcessOfItsOwn() throws Exception {
        try (MosquittoProcess mosquitto = MosquittoProcess.start(dir.resolve("broker"))) {
            AgentBenchOptions options = new AgentBenchOptions(mosquitto.url(), 5, 20, 30, 1, 2, NodeStore.Durability.FULL, NODE_JAR);

            AgentBenchReport report = new AgentBench(options, line -> { }).run();

            assertThat(report.agent()).isEqualTo("process: java " + NodeJvmOptions.line() + " -jar hostops-node.jar");
            assertThat(report.durability()).isEqualTo("FULL");
            assertThat(report.latency().count()).isEqualTo(20);
            assertThat(report.latencySteps().runningToResult().count()).isEqualTo(20);
            assertThat(report.throughput().commands()).isEqualTo(30);
            assertThat(report.logStream().complete()).isTrue();
            assertThat(report.idleRssMiB()).as("measured from /proc").isPositive();
        }
    }
}
