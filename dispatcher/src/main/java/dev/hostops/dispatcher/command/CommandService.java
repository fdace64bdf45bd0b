package dev.hostops.dispatcher.command;

import dev.hostops.contracts.internal.Failures;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts commands: records each in the ledger, then publishes its exec to
 * {@code hostops/v1/node/{node}/cmd} (QoS 1, message expiry at {@code expiresAt}).
 *
 * <h2>Asynchronous, so that work batches</h2>
 * {@link #submitAsync} queues the command for the ledger's writer and returns at once; what
 * follows runs when the ledger has committed (one transaction for every command queued
 * meanwhile): the audit line (its fsync shared in the same way), the publish, and the answer once
 * the broker acknowledged it. No thread waits for a commit, an fsync or a PUBACK, so thousands of
 * submissions in flight cost a handful of commits, syncs and threads.
 *
 * <h2>When the broker is down</h2>
 * The command is kept, not refused: it is committed to the ledger (QUEUED), the caller gets
 * {@code published: false}, and {@link #publishBacklog()} (run by the scheduler) publishes it
 * once the broker is connected. The ledger is the outbox: a command the broker acknowledged is
 * marked published there, so after a restart the dispatcher publishes again exactly the accepted
 * commands that are still QUEUED, unmarked and not expired ({@link Ledger#unpublished}). A command
 * whose {@code expiresAt} passes first is not published and the ledger declares it EXPIRED.
 * Publishing twice is harmless: nodes run a command id at most once.
 */
public final class CommandService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);
    /** How many unpublished commands are taken from the ledger into memory at a time. */
    static final int BACKLOG_PAGE = 10_000;

    private final Ledger ledger;
    private final Transport transport;
    private final MessageCodec codec;
    private final EventBus events;
    private final DispatcherMetrics metrics;
    private final Duration defaultExpiry;
    private final Duration publishWait;
    /** Accepted commands not yet acknowledged by the broker: id to exec. */
    private final Map<String, Exec> backlog = new ConcurrentHashMap<>();
    /** Ids with a publish outstanding, so the backlog loop does not pile up publishes. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** True when the ledger may hold more unpublished commands than {@link #BACKLOG_PAGE} took. */
    private volatile boolean moreInLedger;
    /**
     * Runs what follows a commit, in commit order, off the ledger's writer thread. Nothing there
     * blocks, so one thread serves every submission.
     */
    private final ExecutorService afterCommit = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hostops-submit");
        t.setDaemon(true);
        return t;
    });
    /** Reads a node's QUEUED commands off the event thread when it comes online ({@link #sendAgainTo}). */
    private final ExecutorService redeliver = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hostops-redeliver");
        t.setDaemon(true);
        return t;
    });
    private final AutoCloseable nodeCameOnline;
    private OwnPublications own = new OwnPublications();
    private final OutboundSigner signer;
    private AuditSink audit = AuditSink.discard();

    public CommandService(Ledger ledger, Transport transport, MessageCodec codec, EventBus events, DispatcherMetrics metrics,
                          Duration defaultExpiry, Duration publishWait) {
        this(ledger, transport, codec, events, metrics, defaultExpiry, publishWait, OutboundSigner.none());
    }

    /** @param signer signs each exec before it is recorded and published (docs/SIGNING.md) */
    public CommandService(Ledger ledger, Transport transport, MessageCodec codec, EventBus events, DispatcherMetrics metrics,
                          Duration defaultExpiry, Duration publishWait, OutboundSigner signer) {
        this.signer = signer;
        this.ledger = ledger;
        this.transport = transport;
        this.codec = codec;
        this.events = events;
        this.metrics = metrics;
        this.defaultExpiry = defaultExpiry;
        this.publishWait = publishWait;
        metrics.gauge(MeterNames.PUBLISH_BACKLOG, backlog::size);
        nodeCameOnline = events.subscribe(e -> e.kind() == EventKind.PRESENCE && "online".equals(e.status()),
                e -> redeliver.execute(() -> sendAgainTo(e.node())));
        takeBacklogFromLedger();
        if (!backlog.isEmpty()) {
            LOG.info("{}{} accepted commands wait in the ledger for the broker", backlog.size(), moreInLedger ? "+" : "");
        }
    }

    /** Writes every accepted or conflicting submission to {@code audit} from now on. */
    public CommandService auditTo(AuditSink audit) {
        this.audit = java.util.Objects.requireNonNull(audit, "audit must not be null.");
        return this;
    }

    /** Shares the ids this service publishes with the broker observer, which then skips them. */
    public CommandService ownPublicationsIn(OwnPublications publications) {
        this.own = publications;
        return this;
    }

    /**
     * Records and publishes one command, and waits for it: {@link #submitAsync} then its outcome.
     *
     * @throws DispatcherException as {@link #submitAsync} fails
     */
    public Submission submit(Exec exec, String source, String requestId) {
        try {
            return submitAsync(exec, source, requestId).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /**
     * Records and publishes one command. Returns once the command is queued for the ledger (it
     * does not read the ledger or wait for anything); the future completes after the commit,
     * the audit line's sync and the broker's acknowledgement, or with {@code published: false}
     * after {@code publishWait} or at once when the broker is not connected (the command is kept).
     *
     * @param source    "api:&lt;token name&gt;"
     * @param requestId the fan-out request, or null
     * @return fails with DispatcherException ID_CONFLICT when the id is taken by a different
     *         command, UNAVAILABLE when the ledger cannot commit
     */
    public CompletableFuture<Submission> submitAsync(Exec exec, String source, String requestId) {
        return submitAsync(exec, null, source, requestId);
    }

    /**
     * {@link #submitAsync(Exec, String, String)} for a command whose deadline is relative: an exec
     * without {@code expiresAt} gets now + {@code expiresIn} (null: the default expiry). A deadline
     * the dispatcher filled in is not part of what makes a retry the same command, so the same
     * body sent again with {@code expiresIn} finds the command it sent first.
     */
    public CompletableFuture<Submission> submitAsync(Exec exec, Duration expiresIn, String source, String requestId) {
        Instant now = Instant.now();
        boolean expiryDefaulted = exec.expiresAt() == null;
        if (!expiryDefaulted && expiresIn != null) {
            throw new IllegalArgumentException("expiresAt and expiresIn are exclusive");
        }
        Exec e = signer.sign(withDefaults(exec, now, expiresIn)); // signed as recorded, so the observed copy is the same command
        return ledger.recordCommandAsync(e, source, requestId, now, expiryDefaulted)
                .exceptionally(CommandService::unavailable)
                .thenComposeAsync(out -> accepted(out, source, requestId), afterCommit);
    }

    private static SubmitOutcome unavailable(Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        if (cause instanceof LedgerException ex) {
            throw new DispatcherException(ApiError.UNAVAILABLE,
                    "the ledger cannot record the command right now (" + ex.reason() + "); nothing was sent, retry later", ex);
        }
        throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
    }

    /**
     * After the commit: audit, event, publish. Runs on {@link #afterCommit}; never blocks. The exec
     * is the one the ledger holds: a retry whose deadline was filled in is the stored command.
     */
    private CompletableFuture<Submission> accepted(SubmitOutcome out, String source, String requestId) {
        Exec e = out.exec();
        CompletableFuture<Void> audited = DispatcherAudit.submitted(audit, e, source, requestId, out.kind().name());
        if (out.kind() == SubmitOutcome.Kind.CONFLICT) {
            metrics.commandSubmitted("conflict");
            return audited.<Submission>thenApply(x -> {
                // The other command's node is not named: the caller's token may not be allowed to see it.
                throw new DispatcherException(ApiError.ID_CONFLICT, "id '" + e.id() + "' is already used by a different command"
                        + (requestId != null && !requestId.equals(out.command().requestId()) ? " (not of request '" + requestId + "')" : "")
                        + "; choose a new id, or send exactly the same command to retry");
            });
        }
        if (out.kind() == SubmitOutcome.Kind.CREATED) {
            events.publish(Event.of(EventKind.COMMAND, e.id(), e.node(), out.command().status().name(), out.command()));
        } else if (out.command().status() != CommandStatus.QUEUED) {
            metrics.commandSubmitted("duplicate");
            return audited.thenApply(x -> new Submission(out.kind(), out.command(), true));
        }
        // CREATED, or the same command again while still QUEUED (perhaps never published): send it.
        inFlight.add(e.id());   // before the backlog loop can see it, so it is not published twice
        backlog.put(e.id(), e);
        own.add(e.id());
        return publishNow(e).thenCombine(audited, (published, x) -> {
            metrics.commandSubmitted(out.kind() == SubmitOutcome.Kind.EXISTS ? "duplicate" : published ? "published" : "queued");
            return new Submission(out.kind(), out.command(), published);
        });
    }

    /**
     * Fills what the caller left out: the delivery deadline (now + {@code expiresIn} or the default
     * expiry). A retry of a
     * known id without expiresAt is still the same command: the ledger compares it without its
     * deadline and keeps the stored one ({@link Ledger#recordCommandAsync(Exec, String, String, Instant, boolean)}).
     */
    Exec withDefaults(Exec exec, Instant now, Duration expiresIn) {
        Instant at = exec.expiresAt() != null ? exec.expiresAt().truncatedTo(ChronoUnit.MILLIS) : expiresAt(now, expiresIn);
        return exec.withExpiresAt(at);
    }

    /**
     * The delivery deadline of a new command without {@code expiresAt}: now + {@code expiresIn}, or
     * + the default expiry when that is null; to the millisecond, as the ledger keeps it.
     */
    public Instant expiresAt(Instant now, Duration expiresIn) {
        return now.plus(expiresIn != null ? expiresIn : defaultExpiry).truncatedTo(ChronoUnit.MILLIS);
    }

    /** Publishes; true once the broker acknowledged, false when not connected, failed or not within publishWait (kept). */
    private CompletableFuture<Boolean> publishNow(Exec e) {
        if (transport.state() != ConnectionState.CONNECTED) {
            inFlight.remove(e.id());
            return CompletableFuture.completedFuture(false);
        }
        return startPublish(e)
                .thenApply(x -> true)
                .exceptionally(x -> false)
                .completeOnTimeout(null, publishWait.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(acked -> {
                    if (acked == null) {
                        // A broker that takes publishes but does not acknowledge them: count it, or a stall looks healthy.
                        metrics.publishFailed("unacknowledged");
                        return false;
                    }
                    return acked;
                });
    }

    private CompletableFuture<Void> startPublish(Exec e) {
        Duration expiry = Duration.between(Instant.now(), e.expiresAt());
        if (expiry.isNegative() || expiry.isZero()) {
            inFlight.remove(e.id());
            backlog.remove(e.id());
            return CompletableFuture.failedFuture(new IllegalStateException("expiresAt passed before the command could be published"));
        }
        // MQTT message expiry has whole seconds; round up so the broker never drops it early.
        Duration seconds = Duration.ofSeconds(Math.max(1, (expiry.toMillis() + 999) / 1000));
        OutboundMessage msg = OutboundMessage.reliable(Topics.cmd(e.node()), codec.encode(e)).withExpiry(seconds);
        inFlight.add(e.id());
        return transport.publish(msg).whenComplete((ok, err) -> {
            inFlight.remove(e.id());
            if (err == null) {
                published(e.id());
            } else {
                metrics.publishFailed("refused");
                LOG.debug("publish of {} failed, kept for retry: {}", e.id(), err.toString());
            }
        });
    }

    /** The broker has it: out of the backlog, and marked in the ledger so a restart does not send it again. */
    private void published(String id) {
        backlog.remove(id);
        ledger.markPublishedAsync(id, Instant.now()).whenComplete((ok, err) -> {
            if (err != null) {
                // Harmless: after a restart it is published once more, and the node runs an id once.
                LOG.debug("could not mark {} published: {}", id, err.toString());
            }
        });
    }

    /** Loads accepted commands the broker never acknowledged (a page at a time) into the backlog. */
    private void takeBacklogFromLedger() {
        try {
            List<Exec> page = ledger.unpublished(Instant.now(), BACKLOG_PAGE);
            for (Exec e : page) {
                backlog.putIfAbsent(e.id(), e);
            }
            moreInLedger = page.size() >= BACKLOG_PAGE;
        } catch (LedgerException ex) {
            moreInLedger = true; // try again on the next round
            LOG.warn("cannot read unpublished commands from the ledger yet: {}", ex.getMessage());
        }
    }

    /**
     * Publishes what waits in the backlog when the broker is connected; drops entries whose
     * command is no longer QUEUED or whose deadline passed. Called by the scheduler; never throws.
     */
    public void publishBacklog() {
        if (transport.state() != ConnectionState.CONNECTED) {
            return;
        }
        if (backlog.isEmpty() && moreInLedger) {
            takeBacklogFromLedger();
        }
        Instant now = Instant.now();
        for (Exec e : backlog.values()) {
            if (inFlight.contains(e.id())) {
                continue;
            }
            try {
                Optional<CommandView> c = ledger.command(e.id());
                if (c.isEmpty() || c.get().status() != CommandStatus.QUEUED || !e.expiresAt().isAfter(now)) {
                    backlog.remove(e.id());
                    continue;
                }
                startPublish(e);
            } catch (RuntimeException ex) {
                LOG.warn("cannot republish {} yet: {}", e.id(), ex.toString());
            }
        }
    }

    /**
     * A node came online: its commands still QUEUED go to the broker again (with the next backlog
     * round). The broker's copy is not always there: a node that never connected has no session
     * or queue yet (MQTT, AMQP), so what was published for it went nowhere, and a broker may end a
     * session that stayed away too long or lose it in a restart without persistence. A node that
     * has the command already runs an id at most once.
     */
    private void sendAgainTo(String node) {
        try {
            List<Exec> queued = ledger.queuedFor(node, Instant.now(), BACKLOG_PAGE);
            for (Exec e : queued) {
                backlog.putIfAbsent(e.id(), e);
            }
            if (!queued.isEmpty()) {
                LOG.info("node {} is online: {} command{} still QUEUED for it sent again", node, queued.size(), queued.size() == 1 ? "" : "s");
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot read the queued commands of node {} to send them again: {}", node, e.toString());
        }
    }

    /** How many accepted commands wait for the broker (in memory; the ledger may hold more). */
    public int backlogSize() {
        return backlog.size();
    }

    /** Stops taking new work after the commits already queued; call before closing the ledger. */
    @Override
    public void close() {
        try {
            nodeCameOnline.close();
        } catch (Exception e) {
            LOG.debug("closing the presence subscription: {}", e.toString());
        }
        redeliver.shutdownNow();
        afterCommit.shutdown();
        try {
            afterCommit.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
