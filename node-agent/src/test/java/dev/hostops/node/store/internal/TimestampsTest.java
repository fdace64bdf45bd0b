package dev.hostops.node.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The store's fixed-width instants: exact round trip, read as Instant.parse reads them, odd text still explained. */
class TimestampsTest {

    @Test
    void everyFormattedInstantReadsBackExactlyAndAsInstantParseReadsIt() {
        SplittableRandom random = new SplittableRandom(42);
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(0, max), random.nextInt(1_000_000_000));
            String text = Timestamps.format(instant);
            assertThat(Timestamps.parse(text)).isEqualTo(instant).isEqualTo(Instant.parse(text));
        }
        assertThat(Timestamps.parse("1970-01-01T00:00:00.000000000Z")).isEqualTo(Instant.EPOCH);
        assertThat(Timestamps.parse("2024-02-29T23:59:59.999999999Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.999999999Z"));
    }

    @Test
    void otherIsoInstantsAreStillRead() {
        assertThat(Timestamps.parse("2026-11-22T06:00:00Z")).isEqualTo(Instant.parse("2026-11-22T06:00:00Z"));
        assertThat(Timestamps.parse("2026-11-22T06:00:00.5Z")).isEqualTo(Instant.parse("2026-11-22T06:00:00.5Z"));
    }

    @Test
    void textThatIsNoInstantFailsAsInstantParseFails() {
        for (String bad : new String[] {"2026-02-30T00:00:00.000000000Z", "2026-13-01T00:00:00.000000000Z",
                "2026-11-22T25:00:00.000000000Z", "2026-11-22T00:00:00.00000000xZ", "yesterday"}) {
            assertThatThrownBy(() -> Timestamps.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
        assertThat(Timestamps.parse(null)).isNull();
    }
}
