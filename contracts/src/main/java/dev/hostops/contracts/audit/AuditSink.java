package dev.hostops.contracts.audit;

import java.util.Map;

/**
 * Where audit events go. {@link AuditLog} writes them to a file; {@link #discard()} is for
 * components run without an audit file (tests, tools).
 */
public interface AuditSink {
    /**
     * Records one event.
     *
     * @param event  a name from {@link AuditEvents} (or another dotted lower-case name)
     * @param fields extra members of the line, in iteration order; values are strings, numbers,
     *               booleans, lists, maps or null. Names must not be {@code seq}, {@code at},
     *               {@code prev}, {@code event} or {@code hash}.
     * @throws AuditException if the event cannot be recorded
     */
    void append(String event, Map<String, ?> fields);

    /** A sink that records nothing. */
    static AuditSink discard() {
        return (event, fields) -> { };
    }
}
