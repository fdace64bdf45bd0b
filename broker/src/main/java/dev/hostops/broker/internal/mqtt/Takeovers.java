package dev.hostops.broker.internal.mqtt;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Connections the broker ended for another client with the same client id in the last
 * {@link #WINDOW}, and how long to wait before taking the session back.
 *
 * <p>A broker says so with DISCONNECT 0x8E (Session taken over): then the wait is
 * {@link #FIRST_DELAY} after the first, doubling with each one in the window, up to the
 * transport's maximum reconnect delay. Mosquitto 2.0.11 (measured) says nothing: it just closes
 * the older connection, as a broker that restarts or a network cut also would. So an established
 * connection closed without a DISCONNECT counts too, but the first in the window costs no wait
 * and is not called a takeover; from the second on it is treated as one, one step behind.
 *
 * <p>The usual backoff cannot do this: every reconnect of two clients with one client id
 * succeeds at once, which resets it, and two node agents took the session from each other about
 * five times a second.
 */
final class Takeovers {
    static final Duration WINDOW = Duration.ofMinutes(5);
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);

    /** What one ended connection amounts to: the wait before reconnecting, and whether to call it a takeover. */
    record Verdict(long delayMs, boolean takeover, int inWindow) {}

    private final long maxMs;
    private final LongSupplier nanoClock;
    private final Deque<Long> times = new ArrayDeque<>();

    Takeovers(Duration maxDelay, LongSupplier nanoClock) {
        this.maxMs = Math.max(FIRST_DELAY.toMillis(), maxDelay.toMillis());
        this.nanoClock = nanoClock;
    }

    /**
     * Records an established connection that the broker ended.
     *
     * @param said true for DISCONNECT 0x8E, false for a close without DISCONNECT
     */
    synchronized Verdict record(boolean said) {
        long now = nanoClock.getAsLong();
        while (!times.isEmpty() && now - times.peekFirst() > WINDOW.toNanos()) {
            times.removeFirst();
        }
        times.addLast(now);
        int steps = times.size() - (said ? 1 : 2);
        if (steps < 0) {
            return new Verdict(0, false, times.size());
        }
        return new Verdict(Math.min(maxMs, FIRST_DELAY.toMillis() << Math.min(steps, 30)), true, times.size());
    }
}
