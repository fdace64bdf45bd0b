package dev.hostops.dispatcher.ledger;

import dev.hostops.contracts.CommandStatus;
import java.util.Objects;

/**
 * What the ledger did with a state change or a result.
 *
 * @param outcome what happened to the event
 * @param id      the command id
 * @param status  the command's status after the event (unchanged unless APPLIED)
 */
public record Applied(Outcome outcome, String id, CommandStatus status) {

    /** The possible fates of an incoming event. */
    public enum Outcome {
        /** The event was new and is stored; the status may have changed. */
        APPLIED,
        /** The event was older than what the ledger knows (a regression); its time is kept, the status is not. */
        IGNORED,
        /** The same event was seen before; nothing changed. */
        DUPLICATE,
        /** The event contradicts a terminal status (e.g. a result after EXPIRED or LOST); recorded as an anomaly. */
        ANOMALY
    }

    public Applied {
        Objects.requireNonNull(outcome, "outcome must not be null");
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(status, "status must not be null");
    }
}
