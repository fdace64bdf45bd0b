package dev.hostops.dispatcher.ledger;

import dev.hostops.contracts.message.ApprovalDecision;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An approval request and, once answered, its decision.
 *
 * @param id        the command id the node asks about
 * @param deadline  when the node stops waiting and applies its askFallback
 * @param env       the environment variables the command sets (names and values), empty when none
 * @param decision  null while PENDING
 * @param decidedBy who answered through the dispatcher (e.g. "api:ops"), null while PENDING
 */
public record ApprovalView(
        String id,
        String node,
        List<String> argv,
        String workdir,
        String resolvedExecutable,
        String reason,
        String requestedBy,
        Instant deadline,
        Map<String, String> env,
        Instant requestedAt,
        ApprovalState state,
        ApprovalDecision.Decision decision,
        String approver,
        String decidedBy,
        String decisionReason,
        Instant decidedAt) {

    public ApprovalView {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(state, "state must not be null");
        argv = argv == null ? List.of() : List.copyOf(argv);
        env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }
}
