package dev.hostops.dispatcher.ledger;

import static dev.hostops.dispatcher.ledger.Fixtures.exec;
import static dev.hostops.dispatcher.ledger.Fixtures.failed;
import static dev.hostops.dispatcher.ledger.Fixtures.newId;
import static dev.hostops.dispatcher.ledger.Fixtures.state;
import static dev.hostops.dispatcher.ledger.Fixtures.succeeded;
import static dev.hostops.dispatcher.ledger.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.dispatcher.metrics.DispatcherMetrics;
import dev.hostops.dispatcher.metrics.MeterNames;
import dev.hostops.dispatcher.retention.LedgerRetention;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ledger forgets finished commands older than the retention, and nothing else, on both databases. */
class LedgerRetentionTest extends LedgerTestBase {

    @ParameterizedTest
    @MethodSource("databases")
    void pruneForgetsOldFinishedCommandsWithEverythingKeptAboutThem(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String oldFinished = newId();
        String oldRunning = newId();
        String oldQueued = newId();
        String recentFinished = newId();
        ledger.recordCommand(exec(oldFinished, "node-a"), "broker", null, t(0));
        ledger.applyApprovalRequest(new ApprovalRequest(oldFinished, "node-a", List.of("git", "fetch", "--all"), "/srv",
                "/usr/bin/git", "allowlist miss", "tier2", t(120)));
        ledger.applyState(state(oldFinished, "node-a", CommandStatus.RUNNING, 1));
        ledger.appendLog(new LogChunk(oldFinished, "node-a", 0, LogChunk.Stream.STDOUT, "done\n", null, true));
        ledger.applyResult(succeeded(oldFinished, "node-a", 1, 2));
        ledger.applyResult(failed(oldFinished, "node-a", 1, 3)); // a second, different result: an anomaly
        ledger.recordCommand(exec(oldRunning, "node-a"), "broker", null, t(0));
        ledger.applyState(state(oldRunning, "node-a", CommandStatus.RUNNING, 1));
        ledger.recordCommand(exec(oldQueued, "node-b"), "broker", null, t(0));
        ledger.recordCommand(exec(recentFinished, "node-a"), "broker", null, t(100));
        ledger.applyResult(succeeded(recentFinished, "node-a", 101, 102));
        assertThat(ledger.anomalies(10)).extracting(Anomaly::commandId).containsExactly(oldFinished);

        assertThat(ledger.prune(t(50), 100)).isEqualTo(1);

        assertThat(ledger.command(oldFinished)).isEmpty();
        assertThat(ledger.history(oldFinished)).isEmpty();
        assertThat(ledger.logs(oldFinished, 0, 10)).isEmpty();
        assertThat(ledger.anomalies(10)).isEmpty();
        assertThat(ledger.approvals(null)).isEmpty();
        assertThat(ledger.command(oldRunning).orElseThrow().status()).as("in progress, whatever its age").isEqualTo(CommandStatus.RUNNING);
        assertThat(ledger.command(oldQueued).orElseThrow().status()).isEqualTo(CommandStatus.QUEUED);
        assertThat(ledger.command(recentFinished).orElseThrow().status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(ledger.history(recentFinished)).isNotEmpty();
        assertThat(ledger.prune(t(50), 100)).as("nothing left to forget").isZero();

        ledger.recordCommand(exec(oldFinished, "node-a"), "broker", null, t(200));
        assertThat(ledger.command(oldFinished).orElseThrow().status()).as("a forgotten id is a new command again")
                .isEqualTo(CommandStatus.QUEUED);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void pruneTakesTheOldestFirstAtMostLimitAtATime(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        List<String> oldestFirst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            oldestFirst.addAll(finished(ledger, 1, i));
        }

        assertThat(ledger.prune(t(60), 2)).isEqualTo(2);
        assertThat(ledger.commands(new CommandQuery("node-a", null, null, CommandQuery.MAX_LIMIT)))
                .extracting(CommandView::id).containsExactlyInAnyOrderElementsOf(oldestFirst.subList(2, 5));
        assertThat(ledger.prune(t(60), 2)).isEqualTo(2);
        assertThat(ledger.prune(t(60), 2)).isEqualTo(1);
        assertThat(ledger.commands(new CommandQuery("node-a", null, null, CommandQuery.MAX_LIMIT))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void retentionForgetsWhatIsOlderThanItsDurationInBatchesAndCountsIt(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        finished(ledger, 2_500, 0);
        String recent = finished(ledger, 1, 3_600).get(0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Clock dayAfter = Clock.fixed(t(3_600).plus(Duration.ofDays(1)).minusSeconds(1), ZoneOffset.UTC);

        int forgotten = new LedgerRetention(ledger, new DispatcherMetrics(registry), Duration.ofDays(1), dayAfter).run();

        assertThat(forgotten).isEqualTo(2_500);
        assertThat(registry.counter(MeterNames.COMMANDS_PRUNED.meterName()).count()).isEqualTo(2_500.0);
        assertThat(ledger.commands(new CommandQuery("node-a", null, null, CommandQuery.MAX_LIMIT)))
                .extracting(CommandView::id).containsExactly(recent);
    }

    /**
     * Records {@code count} commands at {@code atSeconds} and their SUCCEEDED results a second
     * later, all queued at once, and returns their ids once they are committed: a prune in the
     * same transaction as their writes would leave them for the next one.
     */
    private static List<String> finished(Ledger ledger, int count, long atSeconds) {
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<?>> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = newId();
            ids.add(id);
            written.add(ledger.recordCommandAsync(exec(id, "node-a"), "broker", null, t(atSeconds)));
            written.add(ledger.applyResultAsync(succeeded(id, "node-a", atSeconds, atSeconds + 1)));
        }
        CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).join();
        return ids;
    }
}
