package dev.hostops.dispatcher.command;

import dev.hostops.dispatcher.ledger.CommandView;
import dev.hostops.dispatcher.ledger.SubmitOutcome;
import java.util.Objects;

/**
 * What {@link CommandService#submit} did.
 *
 * @param outcome   CREATED, or EXISTS for the same command sent again (idempotent retry)
 * @param command   the command as the ledger has it
 * @param published true when the broker acknowledged the exec; false when it is kept in the
 *                  ledger (the outbox) and will be published when the broker is reachable
 */
public record Submission(SubmitOutcome.Kind outcome, CommandView command, boolean published) {
    public Submission {
        Objects.requireNonNull(outcome, "outcome must not be null");
        Objects.requireNonNull(command, "command must not be null");
    }
}
