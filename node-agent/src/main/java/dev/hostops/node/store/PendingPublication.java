package dev.hostops.node.store;

import java.util.Objects;

/**
 * An outbox entry not yet acknowledged by the broker.
 *
 * @param seq   its position in the outbox: increasing in enqueue order, never reused (even after
 *              acknowledged entries are removed), so a late {@link NodeStore#acknowledge} can never
 *              remove a newer entry
 * @param entry what to publish
 */
public record PendingPublication(long seq, OutboxEntry entry) {
    public PendingPublication {
        if (seq <= 0) {
            throw new IllegalArgumentException("seq must be positive");
        }
        Objects.requireNonNull(entry, "entry must not be null");
    }
}
