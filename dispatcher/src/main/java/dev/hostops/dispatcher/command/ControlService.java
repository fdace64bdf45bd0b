package dev.hostops.dispatcher.command;

import dev.hostops.contracts.audit.AuditSink;
import java.util.function.Consumer;
import dev.hostops.broker.ConnectionState;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Transport;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.Cancel;
import dev.hostops.contracts.message.Message;
import dev.hostops.dispatcher.error.ApiError;
import dev.hostops.dispatcher.sign.OutboundSigner;
import dev.hostops.dispatcher.error.DispatcherException;
import dev.hostops.dispatcher.events.Event;
import dev.hostops.dispatcher.events.EventBus;
import dev.hostops.dispatcher.events.EventKind;
import dev.hostops.dispatcher.ledger.ApprovalState;
import dev.hostops.dispatcher.ledger.ApprovalView;
import dev.hostops.dispatcher.ledger.CommandView;
import dev.hostops.dispatcher.ledger.Ledger;
import dev.hostops.dispatcher.ledger.LedgerException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends control messages to a node's {@code control} topic: cancels and approval decisions.
 * Unlike commands these are not kept for later: a cancel or an answer that cannot reach the broker
 * now is refused with UNAVAILABLE (503), because a late one could surprise whoever sent it.
 *
 * <p>Methods block: call them off an event loop.
 */
public final class ControlService {
    private final Ledger ledger;
    private final Transport transport;
    private final MessageCodec codec;
    private final EventBus events;
    private final Duration publishWait;
    private final OutboundSigner signer;
    /** Approval requests an answer is being sent for now (see {@link #decide}). */
    private final Set<String> deciding = ConcurrentHashMap.newKeySet();
    private AuditSink audit = AuditSink.discard();

    public ControlService(Ledger ledger, Transport transport, MessageCodec codec, EventBus events, Duration publishWait) {
        this(ledger, transport, codec, events, publishWait, OutboundSigner.none());
    }

    /** @param signer signs each cancel and approval decision before it is published (docs/SIGNING.md) */
    public ControlService(Ledger ledger, Transport transport, MessageCodec codec, EventBus events, Duration publishWait,
                          OutboundSigner signer) {
        this.signer = signer;
        this.ledger = ledger;
        this.transport = transport;
        this.codec = codec;
        this.events = events;
        this.publishWait = publishWait;
    }

    /** Writes every cancel and approval answer to {@code audit} from now on. */
    public ControlService auditTo(AuditSink audit) {
        this.audit = java.util.Objects.requireNonNull(audit, "audit must not be null.");
        return this;
    }

    /**
     * Asks the command's node to cancel it: a queued command never runs, a running one is killed
     * with its process tree. The result (CANCELLED, or whatever happened first) comes from the node.
     * {@code requireNode} sees the command's node first and throws to refuse.
     */
    public CommandView cancel(String id, String reason, String requestedBy, Consumer<String> requireNode) {
        CommandView c = ledger.command(id).orElseThrow(() -> DispatcherException.notFound("no command with id '" + id + "'"));
        requireNode.accept(c.node());
        if (c.status().isTerminal()) {
            throw new DispatcherException(ApiError.ALREADY_FINISHED, "command '" + id + "' already finished with " + c.status());
        }
        send(signer.sign(new Cancel(id, c.node(), reason, requestedBy, null)), "the cancel");
        DispatcherAudit.cancelled(audit, id, c.node(), requestedBy, reason);
        return c;
    }

    /**
     * Answers a pending approval request and tells the node; {@code requireNode} as for a cancel.
     * One answer per request: while one is being sent and recorded, another for the same request
     * is refused (ALREADY_DECIDED) instead of reaching the node as a second, contrary decision.
     */
    public ApprovalView decide(String id, ApprovalDecision.Decision decision, String approver, String reason,
                               Consumer<String> requireNode) {
        if (!deciding.add(id)) {
            throw new DispatcherException(ApiError.ALREADY_DECIDED, "approval '" + id + "' is being answered by someone else");
        }
        try {
            return decideAlone(id, decision, approver, reason, requireNode);
        } finally {
            deciding.remove(id);
        }
    }

    private ApprovalView decideAlone(String id, ApprovalDecision.Decision decision, String approver, String reason,
                                     Consumer<String> requireNode) {
        ApprovalView pending = find(id);
        requireNode.accept(pending.node());
        if (pending.state() == ApprovalState.UNANSWERED) {
            throw new DispatcherException(ApiError.ALREADY_DECIDED, "approval '" + id + "' no longer waits for an answer:"
                    + " its command went on without one (the node's askFallback at the deadline, a cancel, an expiry)");
        }
        if (pending.state() != ApprovalState.PENDING) {
            throw new DispatcherException(ApiError.ALREADY_DECIDED, "approval '" + id + "' was already answered ("
                    + pending.state().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        ApprovalDecision d = signer.sign(new ApprovalDecision(id, pending.node(), decision, approver, reason, null));
        send(d, "the approval decision");
        try {
            ledger.applyApprovalDecision(d, "api:" + approver);
        } catch (LedgerException e) {
            throw new DispatcherException(ApiError.UNAVAILABLE,
                    "the decision was sent to the node but the ledger could not record it (" + e.reason() + ")", e);
        }
        DispatcherAudit.answered(audit, id, pending.node(), decision.wire(), approver, reason);
        events.publish(Event.of(EventKind.APPROVAL_DECISION, id, pending.node(), decision.wire(), codec.toTree(d)));
        return find(id);
    }

    private ApprovalView find(String id) {
        return ledger.approval(id).orElseThrow(() -> DispatcherException.notFound("no approval request for command '" + id + "'"));
    }

    private void send(Message m, String what) {
        if (transport.state() != ConnectionState.CONNECTED) {
            throw new DispatcherException(ApiError.UNAVAILABLE, "the broker is not connected; " + what + " was not sent, retry later");
        }
        try {
            transport.publish(OutboundMessage.reliable(Topics.control(m.node()), codec.encode(m)))
                    .get(publishWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DispatcherException(ApiError.UNAVAILABLE, "interrupted while sending " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new DispatcherException(ApiError.UNAVAILABLE, "the broker did not acknowledge " + what + "; retry later", e);
        }
    }
}
