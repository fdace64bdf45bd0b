package dev.hostops.dispatcher.ledger;

import dev.hostops.contracts.CommandStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * A status a command entered, and when. Each status appears at most once per command.
 *
 * @param at         the event's own time (the node's clock for states and results)
 * @param recordedAt when the ledger stored it
 * @param origin     what said so: "exec", "state", "result" or "dispatcher" (EXPIRED / LOST declared)
 * @param detail     the state change's detail, or the exec's source; may be null
 */
public record HistoryEntry(CommandStatus status, Instant at, Instant recordedAt, String origin, String detail) {
    public HistoryEntry {
        Objects.requireNonNull(status, "status must not be null");
        Objects.requireNonNull(at, "at must not be null");
        Objects.requireNonNull(origin, "origin must not be null");
    }
}
