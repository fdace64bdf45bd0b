package dev.hostops.dispatcher.command;

import java.time.Duration;

/**
 * Bounds on what a submitted command may ask, as {@code POST /v1/commands} checks them; public so
 * that a client (the {@code hostops exec} CLI) checks the same bounds before it sends anything.
 */
public final class SubmitLimits {
    private SubmitLimits() {}

    /**
     * The furthest delivery deadline a command may have. A year covers any host that is away for a
     * while; a further one is a mistake (a number of seconds taken for milliseconds, a year typed
     * wrong), and near the end of what an Instant, the ledger or a broker's expiry field can hold.
     */
    public static final Duration MAX_EXPIRY = Duration.ofDays(366);

    /**
     * The largest {@code timeoutMs} (some 292,000 years): it keeps a {@code timeout} given in seconds
     * from overflowing in milliseconds.
     */
    public static final long MAX_TIMEOUT_MS = Long.MAX_VALUE / 1000;
}
