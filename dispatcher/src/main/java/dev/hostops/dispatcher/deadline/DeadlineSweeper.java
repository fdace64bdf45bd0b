package dev.hostops.dispatcher.deadline;

import dev.hostops.dispatcher.events.Event;
import dev.hostops.dispatcher.events.EventBus;
import dev.hostops.dispatcher.events.EventKind;
import dev.hostops.dispatcher.ledger.CommandView;
import dev.hostops.dispatcher.ledger.Ledger;
import dev.hostops.dispatcher.metrics.DispatcherMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure every command ends: declares EXPIRED the QUEUED commands whose delivery deadline
 * passed ({@link Ledger#expireDue}), and LOST the RUNNING commands of nodes that have been offline
 * longer than the grace ({@link Ledger#markLost}). Each such decision is an
 * {@link EventKind#RESULT} event, like a node's result.
 *
 * <p>{@link #sweep()} is called periodically by the dispatcher's scheduler; it never throws (a
 * failing ledger is logged and tried again at the next sweep).
 */
public final class DeadlineSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(DeadlineSweeper.class);

    private final Ledger ledger;
    private final EventBus events;
    private final DispatcherMetrics metrics;
    private final Duration lostGrace;
    private final Clock clock;

    public DeadlineSweeper(Ledger ledger, EventBus events, DispatcherMetrics metrics, Duration lostGrace, Clock clock) {
        this.ledger = ledger;
        this.events = events;
        this.metrics = metrics;
        this.lostGrace = lostGrace;
        this.clock = clock;
    }

    /** One pass; returns how many commands it ended. */
    public int sweep() {
        Instant now = clock.instant();
        int ended = 0;
        try {
            ended += announce(ledger.expireDue(now));
        } catch (RuntimeException e) {
            LOG.warn("expiry sweep failed, will retry: {}", e.toString());
        }
        try {
            ended += announce(ledger.markLost(lostGrace, now));
        } catch (RuntimeException e) {
            LOG.warn("lost-node sweep failed, will retry: {}", e.toString());
        }
        return ended;
    }

    private int announce(List<CommandView> ended) {
        for (CommandView c : ended) {
            metrics.commandFinished(c.status().name());
            events.publish(Event.of(EventKind.RESULT, c.id(), c.node(), c.status().name(), c));
        }
        return ended.size();
    }
}
