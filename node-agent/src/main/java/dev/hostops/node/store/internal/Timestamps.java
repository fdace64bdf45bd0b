package dev.hostops.node.store.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Instants as fixed-width UTC text with nanoseconds ({@code 2026-11-22T00:00:00.000000000Z}): exact
 * round trip, readable with the sqlite3 shell, and ordered correctly by plain text comparison
 * (for years 0000 to 9999), which {@link Instant#toString()} is not because it drops zero digits.
 */
public final class Timestamps {
    private static final DateTimeFormatter FIXED = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private Timestamps() {}

    public static String format(Instant instant) {
        return instant == null ? null : FIXED.format(instant);
    }

    public static Instant parse(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
