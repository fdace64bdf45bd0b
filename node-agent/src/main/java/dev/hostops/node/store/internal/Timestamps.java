package dev.hostops.node.store.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
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

    /** Reads what {@link #format} writes (field by field: Instant.parse was a tenth of the agent's CPU) or any ISO instant. */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        Instant fixed = parseFixed(text);
        return fixed != null ? fixed : Instant.parse(text);
    }

    /** The fixed-width form, or null for anything else (which Instant.parse then reads, or explains). */
    private static Instant parseFixed(String t) {
        if (t.length() != 30 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(19) != '.' || t.charAt(29) != 'Z') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int nanos = digits(t, 20, 29);
        if ((year | month | day | hour | minute | second | nanos) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        try {
            long epochDay = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal number in t[from, to), or -1 if a character is not a digit. */
    private static int digits(String t, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
