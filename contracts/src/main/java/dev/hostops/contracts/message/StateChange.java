package dev.hostops.contracts.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hostops.contracts.CommandStatus;
import java.time.Instant;

/** A non-terminal state change of a command on its node: DELIVERED, AWAITING_APPROVAL, RUNNING. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StateChange(String id, String node, CommandStatus status, Instant at, String detail) implements Message {
    public StateChange {
        Checks.id(id);
        Checks.node(node);
        Checks.required(status, "status");
        Checks.required(at, "at");
    }
}
