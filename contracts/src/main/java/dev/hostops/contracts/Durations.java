package dev.hostops.contracts;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in flags and YAML: {@code 500ms}, {@code 30s}, {@code 10m},
 * {@code 2h}, {@code 7d}, a bare number of seconds, or ISO-8601 ({@code PT30S}).
 */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private Durations() {}

    /** Parses; the exception's message names the setting and shows the accepted forms. */
    public static Duration parse(String text, String setting) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(setting + " is empty; write e.g. 30s, 10m, 2h");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            String unit = m.group(2) == null ? "s" : m.group(2);
            try {
                long n = Long.parseLong(m.group(1));
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException(setting + " '" + text + "' is too large");
            }
        }
        Duration d;
        try {
            d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(setting + " '" + text + "' is not a duration; write e.g. 500ms, 30s, 10m, 2h, 7d");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(setting + " '" + text + "' is negative");
        }
        return d;
    }

    /** The shortest exact form, as {@link #parse} reads it: {@code 1500ms}, {@code 30s}, {@code 10m}, {@code 30d}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s % 86_400 == 0 && s > 0) {
            return (s / 86_400) + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return (s / 3600) + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return (s / 60) + "m";
        }
        return s + "s";
    }
}
