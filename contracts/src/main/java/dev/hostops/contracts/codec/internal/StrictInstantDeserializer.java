package dev.hostops.contracts.codec.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
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

    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

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
            return OffsetDateTime.parse(text, FORMAT).toInstant();
        } catch (DateTimeParseException e) {
            return (Instant) ctxt.handleWeirdStringValue(Instant.class, text,
                    "not a valid date-time: " + e.getMessage());
        }
    }
}
