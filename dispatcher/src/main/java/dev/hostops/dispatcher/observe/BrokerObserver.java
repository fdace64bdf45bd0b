package dev.hostops.dispatcher.observe;

import dev.hostops.broker.InboundMessage;
import dev.hostops.broker.MessageHandler;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.codec.MessageFormatException;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import dev.hostops.dispatcher.command.OwnPublications;
import dev.hostops.dispatcher.events.Event;
import dev.hostops.dispatcher.events.EventBus;
import dev.hostops.dispatcher.events.EventKind;
import dev.hostops.dispatcher.ledger.Applied;
import dev.hostops.dispatcher.ledger.Ledger;
import dev.hostops.dispatcher.ledger.LedgerException;
import dev.hostops.dispatcher.ledger.SubmitOutcome;
import dev.hostops.dispatcher.metrics.DispatcherMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every node's topics on the broker and applies what it sees to the ledger.
 *
 * <p>Subscribes to {@code hostops/v1/node/+/{cmd,state,log,result,presence,approval}}. The transport
 * acknowledges a message when the handler returns, and the handler returns only after the ledger
 * committed it, so with a persistent session nothing is lost while the dispatcher is down or
 * crashing: an uncommitted message is redelivered, and the ledger's writes are idempotent.
 *
 * <p>An exec on a {@code cmd} topic is recorded like one sent through the API (source
 * {@code broker}): commands published straight to the broker by any client are correlated too.
 *
 * <p>A message that cannot be decoded, or that does not belong to the topic it came on, is logged
 * and counted ({@code hostops.dispatcher.messages.invalid}) and acknowledged: it would never decode
 * on redelivery either. A message that arrives while the dispatcher closes is left unacknowledged
 * (its stage never completes), so the next session gets it again. When the ledger cannot commit
 * (database down), the handler retries with
 * backoff and does not return: the transport acknowledges a message when its handler returns,
 * even by an exception, so returning would lose it. The subscription stalls, the broker keeps
 * the messages, and they are applied once the database is back (back-pressure, not loss).
 */
public final class BrokerObserver {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerObserver.class);

    /** The per-node topic kinds the dispatcher watches (not {@code control}: that is its own output). */
    public static final List<Topics.Kind> WATCHED = List.of(Topics.Kind.CMD, Topics.Kind.STATE, Topics.Kind.LOG,
            Topics.Kind.RESULT, Topics.Kind.PRESENCE, Topics.Kind.APPROVAL);

    private static final long RETRY_MIN_MS = 100;
    private static final long RETRY_MAX_MS = 10_000;

    private final Ledger ledger;
    private final MessageCodec codec;
    private final EventBus events;
    private final DispatcherMetrics metrics;
    private volatile boolean stopped;
    private final OwnPublications own;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    public BrokerObserver(Ledger ledger, MessageCodec codec, EventBus events, DispatcherMetrics metrics) {
        this(ledger, codec, events, metrics, new OwnPublications());
    }

    /** @param own execs this dispatcher recorded and published itself: already in the ledger, skipped */
    public BrokerObserver(Ledger ledger, MessageCodec codec, EventBus events, DispatcherMetrics metrics, OwnPublications own) {
        this.own = own;
        this.ledger = ledger;
        this.codec = codec;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * Subscribes to every watched topic; completes when the broker has all subscriptions. The cmd
     * topics without this client's own publications where the transport can
     * ({@link dev.hostops.broker.TransportCapabilities#noLocal()}): this dispatcher's execs are in
     * its ledger before they are published, and a broker that sent each back would spend a delivery
     * on it, and this observer a decode. Where the broker sends them anyway, {@link OwnPublications}
     * tells them apart.
     */
    public CompletableFuture<Void> subscribe(Transport transport) {
        MessageHandler handler = MessageHandler.deferred(this::onMessageAsync);
        CompletableFuture<?>[] all = WATCHED.stream()
                .map(kind -> kind == Topics.Kind.CMD
                        ? transport.subscribeToOthers(Topics.allNodes(kind), Qos.AT_LEAST_ONCE, handler)
                        : transport.subscribe(Topics.allNodes(kind), Qos.AT_LEAST_ONCE, handler))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all);
    }

    /**
     * Handles one broker message; the stage completes when the ledger has committed it, and only
     * then does the transport acknowledge the message. Messages are handed over without waiting
     * for the commit, so the ledger's writer commits many of them in one transaction.
     */
    public CompletableFuture<Void> onMessageAsync(InboundMessage in) {
        Optional<Topics.Parsed> parsed = Topics.parse(in.topic());
        if (parsed.isEmpty()) {
            invalid("unknown", "UNKNOWN_TOPIC", in.topic(), "not a hostops node topic");
            return DONE;
        }
        Topics.Kind kind = parsed.get().kind();
        Message message;
        try {
            message = codec.decode(in.payload());
        } catch (MessageFormatException e) {
            invalid(kind.segment(), e.code().name(), in.topic(), e.getMessage());
            return DONE;
        }
        if (!message.node().equals(parsed.get().node())) {
            invalid(kind.segment(), "WRONG_NODE", in.topic(), "message for node " + message.node() + " on another node's topic");
            return DONE;
        }
        if (!fits(kind, message)) {
            invalid(kind.segment(), "UNKNOWN_TYPE", in.topic(), "a " + message.type() + " message does not belong on a " + kind.segment() + " topic");
            return DONE;
        }
        CompletableFuture<Void> stored = new CompletableFuture<>();
        attempt(message, kind, RETRY_MIN_MS, stored);
        return stored;
    }

    /**
     * Applies the message; when the ledger cannot store it yet, tries again later with backoff
     * (the message stays unacknowledged meanwhile), until the ledger is closed.
     */
    private void attempt(Message message, Topics.Kind kind, long backoffMs, CompletableFuture<Void> stored) {
        CompletableFuture<Void> applied;
        try {
            applied = applyAsync(message);
        } catch (RuntimeException e) {
            applied = CompletableFuture.failedFuture(e);
        }
        applied.whenComplete((ok, failure) -> {
            if (failure == null) {
                metrics.messageReceived(message.type());
                stored.complete(null);
                return;
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (!(cause instanceof LedgerException e)) {
                LOG.warn("a {} for {} could not be applied: {}", message.type(), message.id(), cause.toString());
                metrics.messageInvalid(kind.segment(), "REFUSED");
                stored.complete(null);
                return;
            }
            metrics.messageInvalid(kind.segment(), "LEDGER_" + e.reason());
            if (stopped || e.reason() == LedgerException.Reason.CLOSED) {
                // Closing: the stage stays incomplete, so the message stays unacknowledged and the
                // broker delivers it again in the next session. (The transport acknowledges a
                // failed stage too: failing it here would lose, say, a result.)
                LOG.debug("the ledger is closed; a {} for {} is left to the next session", message.type(), message.id());
                return;
            }
            LOG.warn("the ledger cannot store a {} for {} yet ({}); retrying in {} ms", message.type(), message.id(),
                    e.getMessage(), backoffMs);
            CompletableFuture.delayedExecutor(backoffMs, TimeUnit.MILLISECONDS).execute(() ->
                    attempt(message, kind, Math.min(RETRY_MAX_MS, backoffMs * 2), stored));
        });
    }

    /** Stops retrying ledger writes (the dispatcher is closing). */
    public void stop() {
        stopped = true;
    }

    private static boolean fits(Topics.Kind kind, Message m) {
        return switch (kind) {
            case CMD -> m instanceof Exec;
            case STATE -> m instanceof StateChange;
            case LOG -> m instanceof LogChunk;
            case RESULT -> m instanceof Result;
            case PRESENCE -> m instanceof Presence;
            case APPROVAL -> m instanceof ApprovalRequest;
            case CONTROL -> false;
        };
    }

    /** Writes the message to the ledger; events go out after the commit, in commit order. */
    private CompletableFuture<Void> applyAsync(Message message) {
        if (message instanceof Exec exec) {
            if (own.consume(exec.id())) {
                return DONE;   // recorded (the same signed bytes) before it was published
            }
            return ledger.recordCommandAsync(exec, "broker", null, Instant.now()).thenAccept(out -> {
                if (out.kind() == SubmitOutcome.Kind.CREATED) {
                    events.publish(Event.of(EventKind.COMMAND, exec.id(), exec.node(), out.command().status().name(), out.command()));
                } else if (out.kind() == SubmitOutcome.Kind.CONFLICT) {
                    LOG.warn("exec {} for node {} seen on the broker reuses the id of a different command; not recorded",
                            exec.id(), exec.node());
                    metrics.messageInvalid(Topics.Kind.CMD.segment(), "ID_CONFLICT");
                }
            });
        } else if (message instanceof StateChange change) {
            return ledger.applyStateAsync(change).thenAccept(a -> {
                if (a.outcome() == Applied.Outcome.APPLIED) {
                    events.publish(Event.of(EventKind.STATE, change.id(), change.node(), a.status().name(), change));
                }
            });
        } else if (message instanceof Result result) {
            return ledger.applyResultAsync(result).thenAccept(a -> {
                if (a.outcome() == Applied.Outcome.APPLIED) {
                    metrics.commandFinished(a.status().name());
                    events.publish(Event.of(EventKind.RESULT, result.id(), result.node(), a.status().name(), codec.toTree(result)));
                } else if (a.outcome() == Applied.Outcome.ANOMALY) {
                    LOG.warn("result {} from node {} contradicts the ledger ({}); kept as an anomaly", result.id(), result.node(), a.status());
                }
            });
        } else if (message instanceof LogChunk chunk) {
            return ledger.appendLogAsync(chunk).thenRun(() ->
                    events.publish(Event.of(EventKind.LOG, chunk.id(), chunk.node(), null, codec.toTree(chunk))));
        } else if (message instanceof Presence presence) {
            return ledger.applyPresenceAsync(presence).thenAccept(changed -> {
                if (changed) { // a heartbeat is not news: with thousands of nodes it would be most of the stream
                    events.publish(Event.of(EventKind.PRESENCE, presence.node(), presence.node(), presence.state().wire(),
                            codec.toTree(presence)));
                }
            });
        } else if (message instanceof ApprovalRequest request) {
            return ledger.applyApprovalRequestAsync(request).thenRun(() ->
                    events.publish(Event.of(EventKind.APPROVAL_REQUEST, request.id(), request.node(), "pending", codec.toTree(request))));
        }
        return DONE;
    }

    private void invalid(String kind, String code, String topic, String why) {
        metrics.messageInvalid(kind, code);
        LOG.warn("ignored a message on {}: {} ({})", topic, why, code);
    }
}
