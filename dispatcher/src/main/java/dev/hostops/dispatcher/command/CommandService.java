package dev.hostops.dispatcher.command;

import dev.hostops.contracts.audit.AuditSink;
import dev.hostops.broker.ConnectionState;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Transport;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.dispatcher.error.ApiError;
import dev.hostops.dispatcher.sign.OutboundSigner;
import dev.hostops.dispatcher.error.DispatcherException;
import dev.hostops.dispatcher.events.Event;
import dev.hostops.dispatcher.events.EventBus;
import dev.hostops.dispatcher.events.EventKind;
import dev.hostops.dispatcher.ledger.CommandView;
import dev.hostops.dispatcher.ledger.Ledger;
import dev.hostops.dispatcher.ledger.LedgerException;
import dev.hostops.dispatcher.ledger.SubmitOutcome;
import dev.hostops.dispatcher.metrics.DispatcherMetrics;
import dev.hostops.dispatcher.metrics.MeterNames;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts commands: records each in the ledger, then publishes its exec to
 * {@code hostops/v1/node/{node}/cmd} (QoS 1, message expiry at {@code expiresAt}).
 *
 * <h2>When the broker is down</h2>
 * The command is kept, not refused: it is committed to the ledger (QUEUED) and to a durable
 * {@link Outbox}, the caller gets {@code published: false}, and {@link #publishBacklog()} (run by
 * the scheduler) publishes it once the broker is connected, also after a dispatcher restart. A
 * command whose {@code expiresAt} passes first is dropped from the outbox and the ledger declares
 * it EXPIRED. Publishing twice is harmless: nodes run a command id at most once.
 *
 * <p>Methods block (ledger commit, broker acknowledgement): call them off an event loop.
 */
public final class CommandService {
    private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);

    private final Ledger ledger;
    private final Transport transport;
    private final MessageCodec codec;
    private final EventBus events;
    private final DispatcherMetrics metrics;
    private final Outbox outbox;
    private final Duration defaultExpiry;
    private final Duration publishWait;
    /** The outbox in memory: id to exec. */
    private final Map<String, Exec> backlog = new ConcurrentHashMap<>();
    /** Ids with a publish outstanding, so the backlog loop does not pile up publishes. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private OwnPublications own = new OwnPublications();
    private final OutboundSigner signer;
    private AuditSink audit = AuditSink.discard();

    public CommandService(Ledger ledger, Transport transport, MessageCodec codec, EventBus events, DispatcherMetrics metrics,
                          Path outboxDir, Duration defaultExpiry, Duration publishWait) {
        this(ledger, transport, codec, events, metrics, outboxDir, defaultExpiry, publishWait, OutboundSigner.none());
    }

    /** @param signer signs each exec before it is recorded and published (docs/SIGNING.md) */
    public CommandService(Ledger ledger, Transport transport, MessageCodec codec, EventBus events, DispatcherMetrics metrics,
                          Path outboxDir, Duration defaultExpiry, Duration publishWait, OutboundSigner signer) {
        this.signer = signer;
        this.ledger = ledger;
        this.transport = transport;
        this.codec = codec;
        this.events = events;
        this.metrics = metrics;
        this.outbox = new Outbox(outboxDir, codec);
        this.defaultExpiry = defaultExpiry;
        this.publishWait = publishWait;
        for (Exec e : outbox.all()) {
            backlog.put(e.id(), e);
        }
        metrics.gauge(MeterNames.PUBLISH_BACKLOG, backlog::size);
        if (!backlog.isEmpty()) {
            LOG.info("{} accepted commands wait in the outbox for the broker", backlog.size());
        }
    }

    /** Writes every accepted or conflicting submission to {@code audit} from now on. */
    public CommandService auditTo(AuditSink audit) {
        this.audit = java.util.Objects.requireNonNull(audit, "audit must not be null.");
        return this;
    }

    /**
     * Records and publishes one command.
     *
     * @param source    "api:&lt;token name&gt;"
     * @param requestId the fan-out request, or null
     * @throws DispatcherException ID_CONFLICT when the id is taken by a different command;
     *                             UNAVAILABLE when the ledger cannot commit
     */
    /** Shares the ids this service publishes with the broker observer, which then skips them. */
    public CommandService ownPublicationsIn(OwnPublications publications) {
        this.own = publications;
        return this;
    }

    public Submission submit(Exec exec, String source, String requestId) {
        Instant now = Instant.now();
        Exec e = signer.sign(withDefaults(exec, now)); // signed as recorded, so the observed copy is the same command
        SubmitOutcome out;
        try {
            out = ledger.recordCommand(e, source, requestId, now);
        } catch (LedgerException ex) {
            throw new DispatcherException(ApiError.UNAVAILABLE,
                    "the ledger cannot record the command right now (" + ex.reason() + "); nothing was sent, retry later", ex);
        }
        DispatcherAudit.submitted(audit, e, source, requestId, out.kind().name());
        if (out.kind() == SubmitOutcome.Kind.CONFLICT) {
            metrics.commandSubmitted("conflict");
            throw new DispatcherException(ApiError.ID_CONFLICT, "id '" + e.id() + "' is already used by a different command"
                    + " (for node " + out.command().node() + "); choose a new id, or send exactly the same command to retry");
        }
        if (out.kind() == SubmitOutcome.Kind.CREATED) {
            events.publish(Event.of(EventKind.COMMAND, e.id(), e.node(), out.command().status().name(), out.command()));
        } else if (out.command().status() != CommandStatus.QUEUED) {
            metrics.commandSubmitted("duplicate");
            return new Submission(out.kind(), out.command(), true);
        }
        // CREATED, or the same command again while still QUEUED (perhaps never published): send it.
        outbox.put(e);
        inFlight.add(e.id());   // before the backlog loop can see it, so it is not published twice
        backlog.put(e.id(), e);
        own.add(e.id());
        boolean published = publishNow(e);
        metrics.commandSubmitted(out.kind() == SubmitOutcome.Kind.EXISTS ? "duplicate" : published ? "published" : "queued");
        return new Submission(out.kind(), out.command(), published);
    }

    /**
     * Fills what the caller left out: the delivery deadline (now + default expiry). A retry of a
     * known id without expiresAt reuses the stored one, so the retry is the same command.
     */
    Exec withDefaults(Exec exec, Instant now) {
        if (exec.expiresAt() != null) {
            return exec.withExpiresAt(exec.expiresAt().truncatedTo(ChronoUnit.MILLIS));
        }
        Optional<CommandView> known = ledger.command(exec.id());
        Instant at = known.map(CommandView::expiresAt).orElse(null);
        return exec.withExpiresAt(at != null ? at : now.plus(defaultExpiry).truncatedTo(ChronoUnit.MILLIS));
    }

    /** Publishes and waits (bounded) for the broker; false leaves it in the backlog. */
    private boolean publishNow(Exec e) {
        if (transport.state() != ConnectionState.CONNECTED) {
            inFlight.remove(e.id());
            return false;
        }
        try {
            startPublish(e).get(publishWait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException ex) {
            return false;
        }
    }

    private java.util.concurrent.CompletableFuture<Void> startPublish(Exec e) {
        Duration expiry = Duration.between(Instant.now(), e.expiresAt());
        if (expiry.isNegative() || expiry.isZero()) {
            inFlight.remove(e.id());
            drop(e.id());
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new IllegalStateException("expiresAt passed before the command could be published"));
        }
        // MQTT message expiry has whole seconds; round up so the broker never drops it early.
        Duration seconds = Duration.ofSeconds(Math.max(1, (expiry.toMillis() + 999) / 1000));
        OutboundMessage msg = OutboundMessage.reliable(Topics.cmd(e.node()), codec.encode(e)).withExpiry(seconds);
        inFlight.add(e.id());
        return transport.publish(msg).whenComplete((ok, err) -> {
            inFlight.remove(e.id());
            if (err == null) {
                drop(e.id());
            } else {
                metrics.publishFailed();
                LOG.debug("publish of {} failed, kept for retry: {}", e.id(), err.toString());
            }
        });
    }

    private void drop(String id) {
        backlog.remove(id);
        outbox.remove(id);
    }

    /**
     * Publishes what waits in the backlog when the broker is connected; drops entries whose
     * command is no longer QUEUED or whose deadline passed. Called by the scheduler; never throws.
     */
    public void publishBacklog() {
        if (backlog.isEmpty() || transport.state() != ConnectionState.CONNECTED) {
            return;
        }
        Instant now = Instant.now();
        for (Exec e : backlog.values()) {
            if (inFlight.contains(e.id())) {
                continue;
            }
            try {
                Optional<CommandView> c = ledger.command(e.id());
                if (c.isEmpty() || c.get().status() != CommandStatus.QUEUED || !e.expiresAt().isAfter(now)) {
                    drop(e.id());
                    continue;
                }
                startPublish(e);
            } catch (RuntimeException ex) {
                LOG.warn("cannot republish {} yet: {}", e.id(), ex.toString());
            }
        }
    }

    /** How many accepted commands wait for the broker. */
    public int backlogSize() {
        return backlog.size();
    }
}
