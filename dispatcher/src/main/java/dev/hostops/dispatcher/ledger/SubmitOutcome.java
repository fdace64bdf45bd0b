package dev.hostops.dispatcher.ledger;

import dev.hostops.contracts.message.Exec;
import java.util.Objects;

/**
 * What {@link Ledger#recordCommand} did with an exec.
 *
 * @param kind    CREATED (first time this exec was seen), EXISTS (the same exec again: idempotent),
 *                CONFLICT (the id is taken by a different command: the API answers 409)
 * @param command the command as stored after the call (for CONFLICT, the existing one)
 * @param exec    the exec as stored: for CREATED the one given; for EXISTS the one recorded first
 *                (it differs from the one given only in {@code expiresAt} and signature, when the
 *                given one's deadline was filled in by the dispatcher); for CONFLICT the one given,
 *                which was not recorded
 */
public record SubmitOutcome(Kind kind, CommandView command, Exec exec) {

    /** The three answers to "record this exec". */
    public enum Kind { CREATED, EXISTS, CONFLICT }

    public SubmitOutcome {
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(command, "command must not be null");
        Objects.requireNonNull(exec, "exec must not be null");
    }
}
