package dev.hostops.broker;

/** Told of every state change of a transport. Called on a transport thread: return quickly. */
@FunctionalInterface
public interface ConnectionListener {
    /**
     * @param cause why the connection was lost, or null
     */
    void onStateChange(ConnectionState previous, ConnectionState current, Throwable cause);
}
