package dev.hostops.dispatcher.ledger;

/** A ledger operation failed. {@link #reason()} is stable; the message is for a person. */
public final class LedgerException extends RuntimeException {

    /** Why a ledger operation failed. */
    public enum Reason {
        /** The database could not be reached, opened or migrated; nothing of the operation was stored. */
        UNAVAILABLE,
        /** A write did not commit (the transaction failed); nothing of it was stored. */
        WRITE_FAILED,
        /** The ledger was closed before the operation could run. */
        CLOSED,
        /** The caller was interrupted while waiting for a commit; the write may still commit. */
        INTERRUPTED
    }

    private final Reason reason;

    public LedgerException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public LedgerException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
