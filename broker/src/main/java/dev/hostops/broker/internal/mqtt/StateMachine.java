package dev.hostops.broker.internal.mqtt;

import dev.hostops.broker.ConnectionListener;
import dev.hostops.broker.ConnectionState;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection state and its listeners; a transport never leaves CLOSED. */
final class StateMachine {
    private static final Logger log = LoggerFactory.getLogger(StateMachine.class);

    private final String name;
    private final CopyOnWriteArrayList<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private ConnectionState state = ConnectionState.NEW;

    StateMachine(String name) {
        this.name = name;
    }

    synchronized ConnectionState get() {
        return state;
    }

    void addListener(ConnectionListener l) {
        listeners.add(l);
    }

    /** Moves to {@code next} and tells the listeners; false (and no change) if already CLOSED or already there. */
    boolean moveTo(ConnectionState next, Throwable cause) {
        return move(null, next, cause);
    }

    /** Like {@link #moveTo} but only from {@code expected}. */
    boolean moveFrom(ConnectionState expected, ConnectionState next, Throwable cause) {
        return move(expected, next, cause);
    }

    private boolean move(ConnectionState expected, ConnectionState next, Throwable cause) {
        ConnectionState previous;
        synchronized (this) {
            previous = state;
            if (previous == ConnectionState.CLOSED || previous == next || (expected != null && previous != expected)) {
                return false;
            }
            state = next;
        }
        log.debug("{}: {} -> {}", name, previous, next, cause);
        for (ConnectionListener l : listeners) {
            try {
                l.onStateChange(previous, next, cause);
            } catch (RuntimeException e) {
                log.warn("{}: connection listener failed on {} -> {}", name, previous, next, e);
            }
        }
        return true;
    }
}
