package dev.hostops.contracts.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A node asks a person whether it may run a command.
 *
 * @param reason   why it asks, e.g. "ask: always" or "allowlist miss"
 * @param deadline when the node stops waiting and applies its askFallback
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalRequest(
        String id,
        String node,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> argv,
        String workdir,
        String resolvedExecutable,
        String reason,
        String requestedBy,
        Instant deadline) implements Message {
    public ApprovalRequest {
        Checks.id(id);
        Checks.node(node);
        argv = Checks.list(argv, "argv");
        Checks.required(reason, "reason");
    }
}
