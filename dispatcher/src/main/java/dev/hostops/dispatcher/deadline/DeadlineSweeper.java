package dev.hostops.dispatcher.deadline;

import dev.hostops.contracts.Durations;
import dev.hostops.contracts.message.Presence;
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
import java.util.Map;
import java.util.function.Supplier;
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
    private final Duration nodeSilence;
    private final Supplier<Instant> listening;
    private final Clock clock;

    /**
     * @param nodeSilence how long a node online in the ledger may go unheard (its agent sends a
     *                    heartbeat every 30 s by default) before it is taken as offline
     * @param listening   since when the dispatcher has been connected to the broker without a
     *                    break, or null while it is not: silence is only counted while it listens
     */
    public DeadlineSweeper(Ledger ledger, EventBus events, DispatcherMetrics metrics, Duration lostGrace, Duration nodeSilence,
                           Supplier<Instant> listening, Clock clock) {
        this.ledger = ledger;
        this.events = events;
        this.metrics = metrics;
        this.lostGrace = lostGrace;
        this.nodeSilence = nodeSilence;
        this.listening = listening;
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
            markSilentNodesOffline(now);
        } catch (RuntimeException e) {
            LOG.warn("silent-node sweep failed, will retry: {}", e.toString());
        }
        try {
            ended += announce(ledger.markLost(lostGrace, now));
        } catch (RuntimeException e) {
            LOG.warn("lost-node sweep failed, will retry: {}", e.toString());
        }
        return ended;
    }

    /**
     * Nodes not heard from for {@code nodeSilence} while the dispatcher listened are offline: on a
     * broker without a last will (AMQP) a killed agent says nothing, and its running commands would
     * never end. Not while the dispatcher itself is cut off or only just reconnected: it would take
     * its own deafness for their silence.
     */
    private void markSilentNodesOffline(Instant now) {
        Instant since = listening.get();
        Instant silentSince = now.minus(nodeSilence);
        if (since == null || since.isAfter(silentSince)) {
            return;
        }
        for (String node : ledger.markSilent(silentSince)) {
            LOG.warn("node {} was not heard from for {} (no heartbeat): taken as offline; its commands in progress turn LOST after the grace",
                    node, Durations.format(nodeSilence));
            events.publish(Event.of(EventKind.PRESENCE, node, node, Presence.State.OFFLINE.wire(),
                    Map.of("node", node, "state", Presence.State.OFFLINE.wire(), "reason", "silent")));
        }
    }

    private int announce(List<CommandView> ended) {
        for (CommandView c : ended) {
            metrics.commandFinished(c.status().name());
            events.publish(Event.of(EventKind.RESULT, c.id(), c.node(), c.status().name(), c));
        }
        return ended.size();
    }
}
