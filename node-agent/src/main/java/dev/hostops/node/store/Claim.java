package dev.hostops.node.store;

import java.util.Objects;

/**
 * The answer of {@link NodeStore#claim}: either this call recorded the command id first
 * ({@link New}: the caller owns the command and decides whether it runs), or the id was seen before
 * ({@link Seen}: the caller must not run it; if the stored record is terminal it republishes the
 * stored result, otherwise the first delivery is still being handled).
 *
 * <pre>{@code
 * Claim claim = store.claim(id, json, now);
 * if (claim instanceof Claim.Seen seen) { ... seen.record().resultJson() ... }
 * }</pre>
 */
public sealed interface Claim permits Claim.New, Claim.Seen {

    /** The record as stored: for {@link New} the freshly written DELIVERED one. */
    CommandRecord record();

    /** True when this call recorded the id first. */
    default boolean isNew() {
        return this instanceof New;
    }

    /**
     * This call recorded the id (status DELIVERED). Exactly one claim per id gets this, until the id is
     * pruned; the same claim tried again by its caller after a failure that may have committed gets
     * it again, with the same seq ({@link NodeStore#claimAgainAsync}).
     *
     * @param seq the command's place in claim order: larger for every later claim while the record
     *            is kept, so a reader of {@link NodeStore#deliveredAfter} can go on from it
     */
    record New(CommandRecord record, long seq) implements Claim {
        public New {
            Objects.requireNonNull(record, "record must not be null");
        }
    }

    /**
     * The id was claimed before (by this or another thread or process, in this or an earlier run).
     * The stored exec JSON is the first one; a repeat with different bytes under the same id is
     * still a repeat, and the caller may want to log the mismatch.
     */
    record Seen(CommandRecord record) implements Claim {
        public Seen {
            Objects.requireNonNull(record, "record must not be null");
        }
    }
}
