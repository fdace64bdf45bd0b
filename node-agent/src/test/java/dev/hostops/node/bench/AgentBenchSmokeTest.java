package dev.hostops.node.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.node.store.NodeStore;
import dev.hostops.node.testing.TestBrokers;
import org.junit.jupiter.api.Test;

/**
 * {@code hostops bench agent} runs end to end on a real broker and a real agent, small: every
 * measured command succeeded and was seen at each step, and the log run lost nothing. Checks what
 * the report holds, never how fast it was.
 */
class AgentBenchSmokeTest {

    @Test
    void smallRunReportsEveryPhaseComplete() throws Exception {
        AgentBenchOptions options = new AgentBenchOptions(TestBrokers.mqtt(), 5, 20, 30, 1, 2, NodeStore.Durability.NORMAL, null, 40);

        AgentBenchReport report = new AgentBench(options, line -> { }).run();

        assertThat(report.latency().count()).isEqualTo(20);
        assertThat(report.latencySteps().publishedToDelivered().count()).isEqualTo(20);
        assertThat(report.latencySteps().deliveredToRunning().count()).isEqualTo(20);
        assertThat(report.latencySteps().runningToResult().count()).isEqualTo(20);
        assertThat(report.throughput().commands()).isEqualTo(30);
        assertThat(report.throughput().allClaimedSeconds()).as("every DELIVERED state seen").isNotNull()
                .isPositive().isLessThanOrEqualTo(report.throughput().seconds());
        assertThat(report.logStream().complete()).isTrue();
        assertThat(report.logStream().bytesReceived()).isEqualTo(report.logStream().bytesProduced()).isPositive();
        assertThat(report.idleRssMiB()).as("no jar given: not measured").isNull();
        assertThat(report.backlog().succeeded()).isEqualTo(40);
        assertThat(report.backlog().peakRssMiB()).as("the agent ran in this JVM").isNull();
    }
}
