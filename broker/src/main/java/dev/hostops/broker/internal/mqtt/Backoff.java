package dev.hostops.broker.internal.mqtt;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential reconnect delays from min to max, with up to 20% jitter so thousands of node agents
 * cut off by one broker restart do not all come back in the same millisecond.
 */
final class Backoff {
    private final long minMs;
    private final long maxMs;
    private int attempt;

    Backoff(Duration min, Duration max) {
        this.minMs = Math.max(1, min.toMillis());
        this.maxMs = Math.max(minMs, max.toMillis());
    }

    synchronized long nextDelayMs() {
        long base = minMs << Math.min(attempt, 30);
        attempt++;
        long capped = Math.min(maxMs, base > 0 ? base : maxMs);
        long jitter = (long) (capped * 0.2 * ThreadLocalRandom.current().nextDouble());
        return Math.min(maxMs, capped + jitter);
    }

    synchronized void reset() {
        attempt = 0;
    }
}
