package dev.hostops.contracts.audit;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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

    /**
     * Records one event without waiting for it to be durable: the future completes when it is as
     * durable as {@link #append} would have made it, or fails with {@link AuditException}. Events
     * are recorded in the order of the calls. This default appends synchronously.
     */
    default CompletableFuture<Void> appendAsync(String event, Map<String, ?> fields) {
        try {
            append(event, fields);
            return CompletableFuture.completedFuture(null);
        } catch (AuditException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Records one event whose durability may wait a little: the line takes its place in the order
     * now, and reaches the disk with the next sync anyone forces (a later {@link #append}), or
     * within {@code within} at the latest. For events that a forced one normally follows soon: a
     * short command's trail is then synced once, by its last line, instead of once per line.
     * This default is {@link #appendAsync}.
     */
    default CompletableFuture<Void> appendWithin(String event, Map<String, ?> fields, Duration within) {
        return appendAsync(event, fields);
    }

    /** A sink that records nothing. */
    static AuditSink discard() {
        return (event, fields) -> { };
    }
}
