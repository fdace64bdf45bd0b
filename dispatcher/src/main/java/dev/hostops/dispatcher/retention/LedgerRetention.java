package dev.hostops.dispatcher.retention;

import dev.hostops.dispatcher.ledger.Ledger;
import dev.hostops.dispatcher.metrics.DispatcherMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ledger from growing without end: forgets the finished commands recorded more than
 * {@code retention} ago, with their states, results and log chunks ({@link Ledger#pruneAsync}).
 * A command still in progress is never forgotten.
 *
 * <p>{@link #run()} is called periodically by the dispatcher on a thread of its own (a first run
 * after months of history may take a while, and must not delay the deadline sweeps). It works in
 * transactions of {@link #BATCH} commands, so the ledger's writer serves other events in between,
 * and never throws (a failing ledger is logged and tried again at the next run).
 */
public final class LedgerRetention {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerRetention.class);
    /** Commands forgotten per ledger transaction. */
    static final int BATCH = 200;

    private final Ledger ledger;
    private final DispatcherMetrics metrics;
    private final Duration retention;
    private final Clock clock;

    public LedgerRetention(Ledger ledger, DispatcherMetrics metrics, Duration retention, Clock clock) {
        this.ledger = ledger;
        this.metrics = metrics;
        this.retention = retention;
        this.clock = clock;
    }

    /** One pass; returns how many commands it forgot. */
    public int run() {
        Instant before = clock.instant().minus(retention);
        int forgotten = 0;
        try {
            int n;
            do {
                n = ledger.prune(before, BATCH);
                forgotten += n;
                metrics.commandsPruned(n);
            } while (n == BATCH && !Thread.currentThread().isInterrupted());
        } catch (RuntimeException e) {
            LOG.warn("ledger retention failed after {} commands, will retry: {}", forgotten, e.toString());
        }
        if (forgotten > 0) {
            LOG.info("ledger retention: forgot {} finished commands recorded before {} (retention {})", forgotten, before, retention);
        }
        return forgotten;
    }
}
