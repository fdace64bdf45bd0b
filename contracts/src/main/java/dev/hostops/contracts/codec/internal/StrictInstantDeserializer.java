package dev.hostops.contracts.codec.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * Reads an {@link Instant} only from an RFC 3339 date-time string, e.g. {@code 2026-11-21T23:00:00Z}
 * or {@code 2026-11-21T23:00:00.5+01:00}: the JSON Schema's {@code format: date-time}. Jackson's
 * own deserializer also takes epoch numbers and partial times, which a non-Java client validating
 * against the schema would never send; accepting them here would let schema and codec drift.
 */
public final class StrictInstantDeserializer extends StdScalarDeserializer<Instant> {
    private static final long serialVersionUID = 1L;

    /** Full date, full time with seconds, optional fraction, Z or a numeric offset. */
    private static final Pattern RFC3339 = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    public StrictInstantDeserializer() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
        }
        String text = p.getText();
        if (!RFC3339.matcher(text).matches()) {
            return (Instant) ctxt.handleWeirdStringValue(Instant.class, text,
                    "expected an RFC 3339 date-time such as 2026-11-21T23:00:00Z");
        }
        try {
            return parse(text);
        } catch (DateTimeException e) {
            return (Instant) ctxt.handleWeirdStringValue(Instant.class, text,
                    "not a valid date-time: " + e.getMessage());
        }
    }

    /**
     * The instant of a text {@link #RFC3339} matched, so every field is where the pattern put it;
     * java.time checks the values (month 1-12, the day in that month, hour 0-23, offset at most
     * 18 hours). A DateTimeFormatter does the same several times slower, and every message
     * carries a time or two: this was a tenth of a dispatcher's decoding.
     */
    static Instant parse(String text) {
        int nanos = 0;
        int zone = 19;
        if (text.charAt(19) == '.') {
            zone = 20;
            while (Character.isDigit(text.charAt(zone))) {
                zone++;
            }
            int digits = zone - 20;
            nanos = Integer.parseInt(text, 20, zone, 10) * (int) Math.pow(10, 9 - digits);
        }
        LocalDateTime local = LocalDateTime.of(number(text, 0, 4), number(text, 5, 7), number(text, 8, 10),
                number(text, 11, 13), number(text, 14, 16), number(text, 17, 19), nanos);
        char z = text.charAt(zone);
        ZoneOffset offset = z == 'Z' || z == 'z' ? ZoneOffset.UTC
                : ZoneOffset.ofHoursMinutes((z == '-' ? -1 : 1) * number(text, zone + 1, zone + 3),
                        (z == '-' ? -1 : 1) * number(text, zone + 4, zone + 6));
        return local.toInstant(offset);
    }

    private static int number(String text, int from, int to) {
        return Integer.parseInt(text, from, to, 10);
    }
}
