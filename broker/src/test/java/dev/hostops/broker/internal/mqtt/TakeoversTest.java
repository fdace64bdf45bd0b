package dev.hostops.broker.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TakeoversTest {
    private final AtomicLong now = new AtomicLong();
    private final Takeovers takeovers = new Takeovers(Duration.ofSeconds(30), now::get);

    @Test
    void eachSessionTakenOverInTheWindowDoublesTheDelayUpToTheMaximum() {
        long[] delays = new long[8];
        for (int i = 0; i < delays.length; i++) {
            Takeovers.Verdict v = takeovers.record(true);
            assertThat(v.takeover()).isTrue();
            delays[i] = v.delayMs();
            now.addAndGet(Duration.ofSeconds(1).toNanos());
        }
        assertThat(delays).containsExactly(1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000);
    }

    @Test
    void aCloseWithoutAReasonCountsFromTheSecondOneStepBehind() {
        Takeovers.Verdict first = takeovers.record(false);
        assertThat(first.takeover()).isFalse();
        assertThat(first.delayMs()).isZero();
        Takeovers.Verdict second = takeovers.record(false);
        assertThat(second.takeover()).isTrue();
        assertThat(second.delayMs()).isEqualTo(1_000);
        assertThat(takeovers.record(false).delayMs()).isEqualTo(2_000);
    }

    @Test
    void thoseOlderThanTheWindowNoLongerCount() {
        takeovers.record(true);
        takeovers.record(true);
        now.addAndGet(Takeovers.WINDOW.plusSeconds(1).toNanos());
        assertThat(takeovers.record(true).delayMs()).isEqualTo(1_000);
        now.addAndGet(Takeovers.WINDOW.plusSeconds(1).toNanos());
        assertThat(takeovers.record(false).takeover()).as("a broker restart now and then").isFalse();
    }
}
