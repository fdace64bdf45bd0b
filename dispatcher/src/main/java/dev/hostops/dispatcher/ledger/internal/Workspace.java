package dev.hostops.dispatcher.ledger.internal;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.dispatcher.ledger.Anomaly;

/** What {@link Transitions} needs from a transaction: rows by id, and places to put history and anomalies. */
interface Workspace {

    /** The row of this command, or null when the ledger has never heard of it. */
    CommandRow find(String id);

    /** Adds a row made by {@link CommandRow#created}; it is inserted at the next flush. */
    void add(CommandRow row);

    /** Marks a loaded row changed; it is updated at the next flush. */
    default void touch(CommandRow row) {
        row.dirty = true;
    }

    /** Records that a command entered a status at a time (once per status). */
    void history(String commandId, CommandStatus status, long at, String origin, String detail);

    /** Records an anomaly (once per command, kind and received status). */
    void anomaly(Anomaly anomaly);
}
