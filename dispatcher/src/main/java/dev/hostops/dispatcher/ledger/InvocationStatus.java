package dev.hostops.dispatcher.ledger;

import dev.hostops.contracts.CommandStatus;
import java.util.Objects;

/** One invocation of a fan-out request, as far as a view without details needs it: which command, on which node, in which status. */
public record InvocationStatus(String commandId, String node, CommandStatus status) {

    public InvocationStatus {
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(node, "node must not be null");
        Objects.requireNonNull(status, "status must not be null");
    }
}
