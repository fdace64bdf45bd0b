package dev.hostops.dispatcher.ledger;

import dev.hostops.contracts.CommandStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * An event that contradicts what the ledger had already decided; kept, never applied.
 *
 * @param existing the command's status when the event arrived
 * @param received the status the event claimed
 * @param payload  the event as JSON
 * @param at       when the ledger recorded the anomaly
 */
public record Anomaly(String commandId, String node, Kind kind, CommandStatus existing, CommandStatus received,
                      String payload, Instant at) {

    /** The kinds of contradiction. Names are stable (they are metric tags). */
    public enum Kind {
        /** A result arrived after the dispatcher declared the command EXPIRED. */
        RESULT_AFTER_EXPIRED,
        /** A result arrived after the dispatcher declared the command LOST. */
        RESULT_AFTER_LOST,
        /** A second, different result arrived for a command that already had one. */
        CONFLICTING_RESULT,
        /** The node reported RUNNING for a command the dispatcher had declared EXPIRED. */
        STARTED_AFTER_EXPIRED,
        /** A state or result came from another node than the one the command is for. */
        WRONG_NODE
    }

    public Anomaly {
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(kind, "kind must not be null");
    }
}
