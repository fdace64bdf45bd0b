package dev.hostops.dispatcher.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.InboundMessage;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Result;
import dev.hostops.dispatcher.events.EventBus;
import dev.hostops.dispatcher.ledger.Ledger;
import dev.hostops.dispatcher.ledger.LedgerConfig;
import dev.hostops.dispatcher.metrics.DispatcherMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A result that reaches a closing dispatcher is never acknowledged without being stored: the
 * transport acknowledges a failed stage too, so the observer leaves it incomplete and the broker
 * delivers the message again in the next session.
 */
class BrokerObserverClosingTest {
    @TempDir
    Path dir;

    @Test
    void aResultArrivingAfterTheLedgerClosedIsLeftUnacknowledged() throws Exception {
        Ledger ledger = Ledger.open(LedgerConfig.of("jdbc:sqlite:" + dir.resolve("ledger.db")));
        BrokerObserver observer = new BrokerObserver(ledger, MessageCodec.standard(), new EventBus(),
                new DispatcherMetrics(new SimpleMeterRegistry()));
        ledger.close();
        Instant now = Instant.now();
        Result result = new Result("closing-1", "node-a", CommandStatus.SUCCEEDED, 0, now, now, 0L, "/usr/bin/true",
                null, null, null, 0, 0, 0L, false, null);

        CompletableFuture<Void> stage = observer.onMessageAsync(new InboundMessage(Topics.result("node-a"),
                MessageCodec.standard().encode(result), false, false));

        Thread.sleep(300);
        assertThat(stage).as("not acknowledged: the next session gets it again").isNotDone();
    }
}
