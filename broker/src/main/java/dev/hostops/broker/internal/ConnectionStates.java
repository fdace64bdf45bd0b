package dev.hostops.broker.internal;

import dev.hostops.broker.ConnectionListener;
import dev.hostops.broker.ConnectionState;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A transport's {@link ConnectionState} and its listeners, shared by both transports; never leaves CLOSED. */
public final class ConnectionStates {
    private static final Logger log = LoggerFactory.getLogger(ConnectionStates.class);

    private final String name;
    private final CopyOnWriteArrayList<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private ConnectionState state = ConnectionState.NEW;

    public ConnectionStates(String name) {
        this.name = name;
    }

    public synchronized ConnectionState get() {
        return state;
    }

    public void addListener(ConnectionListener listener) {
        listeners.add(listener);
    }

    /** Moves to {@code next} from any state but CLOSED; false if nothing changed. */
    public boolean moveTo(ConnectionState next, Throwable cause) {
        return move(null, next, cause);
    }

    /** Moves to {@code next} only from {@code expected}; false if the state was another. */
    public boolean moveFrom(ConnectionState expected, ConnectionState next, Throwable cause) {
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
                // A listener's bug must not stop the transport's own thread.
                log.warn("{}: connection listener failed on {} -> {}", name, previous, next, e);
            }
        }
        return true;
    }
}
