package dev.hostops.dispatcher.ledger;

import dev.hostops.contracts.message.ApprovalDecision;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An approval request and, once answered, its decision.
 *
 * @param id        the command id the node asks about
 * @param deadline  when the node stops waiting and applies its askFallback
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
    }
}
