package dev.hostops.contracts.audit;

/** The audit log could not be opened or written. {@link #code()} is stable; the message is for a person. */
public final class AuditException extends RuntimeException {
    /** Why. */
    public enum Code {
        /** Reading or writing the file failed (disk full, permissions...). */
        IO,
        /** Another process holds the file open for writing. */
        LOCKED,
        /** The file's last line is cut off or does not verify; appending would hide the damage. */
        DAMAGED_TAIL,
        /** The event name or a field name is not allowed. */
        INVALID_EVENT,
        /** The log was closed. */
        CLOSED
    }

    private final Code code;

    public AuditException(Code code, String message) {
        this(code, message, null);
    }

    public AuditException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
