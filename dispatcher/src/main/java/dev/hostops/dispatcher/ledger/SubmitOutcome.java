package dev.hostops.dispatcher.ledger;

import java.util.Objects;

/**
 * What {@link Ledger#recordCommand} did with an exec.
 *
 * @param kind    CREATED (first time this exec was seen), EXISTS (the same exec again: idempotent),
 *                CONFLICT (the id is taken by a different command: the API answers 409)
 * @param command the command as stored after the call (for CONFLICT, the existing one)
 */
public record SubmitOutcome(Kind kind, CommandView command) {

    /** The three answers to "record this exec". */
    public enum Kind { CREATED, EXISTS, CONFLICT }

    public SubmitOutcome {
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(command, "command must not be null");
    }
}
