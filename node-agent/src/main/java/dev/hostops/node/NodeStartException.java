package dev.hostops.node;

/** The agent cannot start; the message says what to fix (data directory, policy file, broker URL). */
public final class NodeStartException extends Exception {
    private static final long serialVersionUID = 1L;

    public NodeStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
