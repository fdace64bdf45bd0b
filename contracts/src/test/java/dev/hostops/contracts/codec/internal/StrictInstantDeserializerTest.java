package dev.hostops.contracts.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast RFC 3339 parse gives what java.time's ISO parser gives, and refuses what it refuses. */
class StrictInstantDeserializerTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-21T23:00:00Z", "2026-11-21t23:00:00z", "2026-11-21T23:00:00.5Z",
            "2026-11-21T23:00:00.123456789Z", "2026-11-21T23:00:00.000001+01:00", "2024-02-29T00:00:00-05:30",
            "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999+18:00", "2026-06-30T12:34:56-18:00",
            "1970-01-01T00:00:00+00:00", "2026-11-21T05:00:00.1-00:00"})
    void agreesWithTheIsoParser(String text) {
        assertThat(StrictInstantDeserializer.parse(text))
                .isEqualTo(OffsetDateTime.parse(text.toUpperCase(java.util.Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z",
            "2026-11-31T00:00:00Z", "2026-11-21T24:00:00Z", "2026-11-21T23:60:00Z", "2026-11-21T23:59:60Z",
            "2026-11-21T23:00:00+19:00", "2026-11-21T23:00:00+18:01", "2026-11-21T23:00:00+05:60"})
    void refusesImpossibleValues(String text) {
        assertThatThrownBy(() -> StrictInstantDeserializer.parse(text)).isInstanceOf(DateTimeException.class);
    }
}
