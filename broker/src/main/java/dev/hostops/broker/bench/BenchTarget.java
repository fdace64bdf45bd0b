package dev.hostops.broker.bench;

import dev.hostops.broker.BrokerUrl;
import java.util.Objects;

/** A broker to measure, with a short name for the report. */
public record BenchTarget(String name, BrokerUrl url) {
    public BenchTarget {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a bench target needs a name");
        }
        Objects.requireNonNull(url, "url must not be null");
    }

    /** Parses {@code name=url}, e.g. {@code rabbitmq=amqp://127.0.0.1:5672}. */
    public static BenchTarget parse(String text) {
        int eq = text == null ? -1 : text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("a target is name=url, e.g. rabbitmq=amqp://127.0.0.1:5672, not '" + text + "'");
        }
        return new BenchTarget(text.substring(0, eq), BrokerUrl.parse(text.substring(eq + 1)));
    }
}
