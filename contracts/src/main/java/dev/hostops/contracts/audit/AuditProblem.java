package dev.hostops.contracts.audit;

import java.util.Objects;

/**
 * The first place where an audit file's chain breaks.
 *
 * @param line   1-based line number in the file
 * @param reason what kind of damage it looks like
 * @param detail one sentence for a person
 */
public record AuditProblem(long line, Reason reason, String detail) {
    /** Kinds of damage. */
    public enum Reason {
        /** The line's content no longer matches its hash, or it was re-hashed and the next line's prev disagrees. */
        EDITED,
        /** A line is missing: seq jumps forward and the missing seq appears nowhere later. */
        REMOVED,
        /** Lines are out of order: seq is not the next one, and the expected one appears later (or seq went back). */
        REORDERED,
        /** The file ends in the middle of a line. */
        TRUNCATED
    }

    public AuditProblem {
        if (line < 1) {
            throw new IllegalArgumentException("line must be 1 or more, got " + line);
        }
        Objects.requireNonNull(reason, "reason must not be null.");
        Objects.requireNonNull(detail, "detail must not be null.");
    }
}
