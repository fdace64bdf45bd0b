package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** Small readers for API responses, tolerant of a list given bare or under a key. */
final class Json {
    private Json() {}

    static List<JsonNode> items(JsonNode data, String key) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode list = data.isArray() ? data : data.path(key);
        if (list.isArray()) {
            list.forEach(out::add);
        } else if (data.isObject() && !data.has(key)) {
            out.add(data);
        }
        return out;
    }

    static String labels(JsonNode labels) {
        StringJoiner j = new StringJoiner(",");
        labels.fields().forEachRemaining(e -> j.add(e.getKey() + "=" + e.getValue().asText()));
        return j.toString();
    }

    /**
     * What an approver must see of a request: the variables it sets, in full and first (a variable can change what
     * the program does, so it is never cut short), then its argv as {@link #argv} shows it.
     */
    static String envAndArgv(JsonNode c) {
        StringJoiner j = new StringJoiner(" ");
        c.path("env").fields().forEachRemaining(e -> j.add(e.getKey() + "=" + e.getValue().asText()));
        j.add(argv(c));
        return j.toString();
    }

    /**
     * An instant of the API as a person reads it: to the second ({@code 2026-11-22T00:10:00Z}); the API
     * keeps what the node sent, down to the nanosecond. Anything that is not an instant, as it is.
     */
    static String instant(String text) {
        try {
            return java.time.Instant.parse(text).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        } catch (java.time.format.DateTimeParseException notAnInstant) {
            return text;
        }
    }

    static String argv(JsonNode c) {
        if (c.path("command").isTextual()) {
            return c.path("command").asText();
        }
        StringJoiner j = new StringJoiner(" ");
        c.path("argv").forEach(a -> j.add(a.asText()));
        String s = j.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
