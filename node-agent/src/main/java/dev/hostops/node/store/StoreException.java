package dev.hostops.node.store;

import java.util.Objects;

/**
 * The node store could not do what was asked. {@link #code()} is stable (log it, match on it);
 * the message is a sentence for a person.
 */
public final class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a store operation failed. */
    public enum Code {
        /** The command id was never claimed here (or was pruned). */
        UNKNOWN_COMMAND,
        /** The command is not in a state that allows this step (e.g. starting it twice). */
        ILLEGAL_TRANSITION,
        /** Another process held the database's write lock longer than the busy timeout. */
        BUSY,
        /** The disk is full, or the database hit its size limit. */
        DISK_FULL,
        /** The file is not a node store database or is damaged. */
        CORRUPT,
        /** The database was written by a newer agent version whose schema this one does not know. */
        SCHEMA_TOO_NEW,
        /** The data directory or the database file cannot be created, opened, read or written. */
        IO_ERROR,
        /** The store was closed. */
        CLOSED
    }

    private final Code code;

    public StoreException(Code code, String message) {
        this(code, message, null);
    }

    public StoreException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code must not be null");
    }

    public Code code() {
        return code;
    }

    @Override
    public String toString() {
        return "StoreException[" + code + "]: " + getMessage();
    }
}
