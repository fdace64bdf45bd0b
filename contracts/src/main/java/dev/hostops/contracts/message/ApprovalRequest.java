package dev.hostops.contracts.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A node asks a person whether it may run a command.
 *
 * @param reason   why it asks, e.g. "ask: always" or "allowlist miss"
 * @param deadline when the node stops waiting and applies its askFallback
 * @param env      the environment variables the command sets, names and values (optional, empty when none): a
 *                 variable can change what an allowed program does ({@code GIT_TRACE=~/.ssh/authorized_keys}), so
 *                 the person deciding sees them
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
        Instant deadline,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> env) implements Message {
    public ApprovalRequest {
        Checks.id(id);
        Checks.node(node);
        argv = Checks.list(argv, "argv");
        Checks.required(reason, "reason");
        env = Checks.map(env, "env");
    }

    /** A request for a command that sets no environment variable. */
    public ApprovalRequest(String id, String node, List<String> argv, String workdir, String resolvedExecutable,
                           String reason, String requestedBy, Instant deadline) {
        this(id, node, argv, workdir, resolvedExecutable, reason, requestedBy, deadline, Map.of());
    }
}
