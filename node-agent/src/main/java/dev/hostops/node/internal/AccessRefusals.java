package dev.hostops.node.internal;

import dev.hostops.broker.AccessRefusedException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent says when the broker refuses its login the use of the node's own topics (an ACL
 * for another node's credentials, or an ACL changed under a running agent): an ERROR that names the
 * topic, the broker's reason and what to check, at most once a {@link #EVERY}, so a refusal that
 * repeats every second does not flood the log and one that stopped is not hidden.
 */
public final class AccessRefusals {
    private static final Logger LOG = LoggerFactory.getLogger(AccessRefusals.class);
    static final Duration EVERY = Duration.ofMinutes(1);

    private final String node;
    private final String user;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - EVERY.toNanos());

    /** @param user the login's user name, or null when the broker URL has none */
    public AccessRefusals(String node, String user) {
        this.node = node;
        this.user = user;
    }

    /** The sentence that says what to check, for a log line or a start failure. */
    public String advice() {
        return (user == null ? "The broker URL has no user name" : "The broker login '" + user + "'")
                + " may not use node " + node + "'s topics: are these node " + node + "'s credentials? `hostops broker acl`"
                + " gives each node a login for its own topics only (user " + node + " on Mosquitto, hostops-node-" + node
                + " on RabbitMQ); see docs/SECURITY.md, Broker ACLs.";
    }

    /**
     * Logs {@code failure} as an ERROR when it is the broker's refusal and none was logged within
     * {@link #EVERY}; {@code meanwhile} says what becomes of the message.
     *
     * @return true when it is a refusal (logged now or recently), false for any other failure
     */
    public boolean report(Throwable failure, String meanwhile) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (!(cause instanceof AccessRefusedException)) {
            return false;
        }
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= EVERY.toNanos() && lastLogged.compareAndSet(last, now)) {
            LOG.error("{}; {}. {}", cause.getMessage(), meanwhile, advice());
        }
        return true;
    }
}
