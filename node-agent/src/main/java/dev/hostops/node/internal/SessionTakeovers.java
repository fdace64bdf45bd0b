package dev.hostops.node.internal;

import dev.hostops.broker.SessionTakenOverException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the person when another process uses this node's broker session: two agents started with
 * the same node id (a second host configured like the first, a {@code hostops node run} left in a
 * terminal beside the service) take the session from each other on every reconnect, and both run
 * commands. The transport reports each takeover ({@link SessionTakenOverException}) and waits longer
 * after each; this class logs an ERROR that says what is going on and what to do once
 * {@link #THRESHOLD} of them fall within {@link #WINDOW}, then at most once a window while it lasts.
 */
public final class SessionTakeovers {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTakeovers.class);
    static final Duration WINDOW = Duration.ofMinutes(5);
    static final int THRESHOLD = 3;

    private final String node;
    private final String clientId;
    private final LongSupplier nanoClock;
    private final Deque<Long> times = new ArrayDeque<>();
    private Long lastError;

    public SessionTakeovers(String node, String clientId, LongSupplier nanoClock) {
        this.node = node;
        this.clientId = clientId;
        this.nanoClock = nanoClock;
    }

    /**
     * A lost connection: logs it (a WARN, or the ERROR when takeovers repeat).
     *
     * @return true when it was a takeover
     */
    public synchronized boolean lost(Throwable cause) {
        if (!(cause instanceof SessionTakenOverException)) {
            return false;
        }
        long now = nanoClock.getAsLong();
        while (!times.isEmpty() && now - times.peekFirst() > WINDOW.toNanos()) {
            times.removeFirst();
        }
        times.addLast(now);
        if (times.size() >= THRESHOLD && (lastError == null || now - lastError >= WINDOW.toNanos())) {
            lastError = now;
            LOG.error("node {}: another client took this agent's broker session (client id '{}') {} times in the last {} min:"
                            + " another node agent runs with node id {}, on this host or another (a second service, a"
                            + " `hostops node run` left in a terminal, a host configured with the same --node). Both take"
                            + " this node's commands in turn. Stop the other agent, or give it a node id of its own (and,"
                            + " with `hostops broker acl`, a login of its own). This agent keeps taking the session back,"
                            + " waiting longer after each takeover (up to 30 s). Last: {}",
                    node, clientId, times.size(), WINDOW.toMinutes(), node, cause.getMessage());
        } else {
            LOG.warn("node {}: {}", node, cause.getMessage());
        }
        return true;
    }
}
