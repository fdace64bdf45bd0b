package dev.hostops.dispatcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code hostops bench dispatcher}, small, end to end on a Mosquitto it starts: every phase ends
 * with every command SUCCEEDED in the ledger and none timed out, with hundreds of submissions,
 * publishes and deferred acknowledgements in flight at once (the bench found a transport that
 * stalled under such load; at this size the test guards the phases, the full bench the scale).
 * It checks what the report holds, never how fast it was. Needs {@code mosquitto}.
 */
class DispatcherBenchSmokeTest {

    @Test
    void smallRunCorrelatesEveryCommandInEveryPhase() throws Exception {
        DispatcherBenchOptions options = new DispatcherBenchOptions(600, 100, 20, 256, 200, 1, 0, true, Duration.ofSeconds(90), List.of());

        DispatcherBench.Report report = new DispatcherBench(options, line -> { }).run();

        assertThat(report.throughput().timedOut()).isFalse();
        assertThat(report.throughput().failedPosts()).isZero();
        assertThat(report.throughput().succeededInLedger()).isEqualTo(600);
        assertThat(report.brokerCorrelation().timedOut()).isFalse();
        assertThat(report.brokerCorrelation().succeededInLedger()).isEqualTo(600);
        assertThat(report.fanOutFirst().ledgerCounts()).as("the warm-up fan-out").containsEntry("SUCCEEDED", 200).hasSize(1);
        assertThat(report.fanOut().timedOut()).isFalse();
        assertThat(report.fanOut().ledgerCounts()).containsEntry("SUCCEEDED", 200).hasSize(1);
        assertThat(report.fanOut().waitedState()).as("the same fan-out with ?wait= answers once it is over").isEqualTo("DONE");
        assertThat(report.fanOut().briefWaitedState()).as("and with details=false").isEqualTo("DONE");
        assertThat(report.dispatcherProcess().fanOutStates()).as("a new dispatcher process: the warm-up's fan-out and one more")
                .containsExactly("DONE", "DONE");
        assertThat(report.dispatcherProcess().failedPosts()).isZero();
        assertThat(report.rss()).as("in-flight 0: the RSS phase is skipped").isNull();
    }
}
