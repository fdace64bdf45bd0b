package dev.hostops.broker.internal.amqp;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential reconnect delay: {@code min * 2^attempt}, capped at {@code max}, with +-20% jitter so
 * that thousands of nodes cut off by the same broker restart do not all come back in the same
 * millisecond.
 */
record Backoff(Duration min, Duration max) {

    long delayMillis(int attempt) {
        long base = min.toMillis();
        long cap = max.toMillis();
        long delay = attempt >= 30 ? cap : Math.min(cap, base << attempt);
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Math.max(1, Math.round(delay * jitter));
    }
}
