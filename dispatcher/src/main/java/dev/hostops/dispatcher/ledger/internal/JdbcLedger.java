package dev.hostops.dispatcher.ledger.internal;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import dev.hostops.dispatcher.ledger.Anomaly;
import dev.hostops.dispatcher.ledger.Applied;
import dev.hostops.dispatcher.ledger.ApprovalState;
import dev.hostops.dispatcher.ledger.ApprovalView;
import dev.hostops.dispatcher.ledger.CommandQuery;
import dev.hostops.dispatcher.ledger.CommandView;
import dev.hostops.dispatcher.ledger.HistoryEntry;
import dev.hostops.dispatcher.ledger.InvocationStatus;
import dev.hostops.dispatcher.ledger.Ledger;
import dev.hostops.dispatcher.ledger.LedgerConfig;
import dev.hostops.dispatcher.ledger.LedgerException;
import dev.hostops.dispatcher.ledger.NodeView;
import dev.hostops.dispatcher.ledger.RequestView;
import dev.hostops.dispatcher.ledger.SubmitOutcome;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JDBC ledger: writes become {@link Op}s for the single {@link Writer}, reads go straight to
 * the read pool ({@link Reads}).
 */
public final class JdbcLedger implements Ledger {
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
    /** The most commands one prune may forget: one transaction, so the writer is not held long. */
    static final int MAX_PRUNE = 10_000;
    private static final List<CommandStatus> TERMINAL =
            Arrays.stream(CommandStatus.values()).filter(CommandStatus::isTerminal).toList();

    private final LedgerConfig config;
    private final Database database;
    private final Json json;
    private final Transitions transitions;
    private final Views views;
    private final NodeSql nodes;
    private final ApprovalSql approvals;
    private final Writer writer;
    private final Reads reads;
    private final AtomicBoolean closed = new AtomicBoolean();

    private JdbcLedger(LedgerConfig config, Database database) {
        this.config = config;
        this.database = database;
        this.json = new Json(MessageCodec.standard());
        this.transitions = new Transitions(json);
        this.views = new Views(json);
        this.nodes = new NodeSql(json);
        this.approvals = new ApprovalSql(json);
        this.writer = new Writer(database.writer, database.dialect, config.durability() == LedgerConfig.Durability.POWER_LOSS,
                depth -> new LedgerMetrics(config.meterRegistry(), depth), config.maxBatch(), config.queueCapacity());
        this.reads = new Reads(database.readers, database.readers.getMaximumPoolSize(), views, nodes, approvals);
    }

    /** True on a ledger's writer thread (where futures complete): blocking there for a write never ends. */
    public static boolean onWriterThread() {
        return Writer.onWriterThread();
    }

    /** Opens the database, runs the migrations and starts the writer. */
    public static Ledger open(LedgerConfig config) {
        Objects.requireNonNull(config, "config must not be null");
        return new JdbcLedger(config, Database.open(config));
    }

    @Override
    public CompletableFuture<SubmitOutcome> recordCommandAsync(Exec exec, String source, String requestId, Instant at,
                                                               boolean expiryDefaulted) {
        Objects.requireNonNull(exec, "exec must not be null");
        Objects.requireNonNull(source, "source must not be null");
        Objects.requireNonNull(at, "at must not be null");
        long atMillis = at.toEpochMilli();
        String execJson = json.encode(exec);
        return writer.submit(new Op<>(exec.id(), batch -> {
            SubmitOutcome.Kind kind = transitions.exec(batch, exec, execJson, source, requestId, atMillis, expiryDefaulted);
            CommandRow row = batch.find(exec.id());
            if (kind == SubmitOutcome.Kind.CONFLICT) {
                return new SubmitOutcome(kind, views.command(row), exec);
            }
            Exec stored = row.execJson.equals(execJson) ? exec : json.exec(row.execJson);
            return new SubmitOutcome(kind, views.command(row, stored), stored);
        }));
    }

    @Override
    public CompletableFuture<Applied> applyStateAsync(StateChange change) {
        Objects.requireNonNull(change, "change must not be null");
        if (change.status().isTerminal() || change.status() == CommandStatus.QUEUED) {
            throw new IllegalArgumentException("a state change carries DELIVERED, AWAITING_APPROVAL or RUNNING, not "
                    + change.status() + " (a command ends with a result)");
        }
        // Lazy: a state is history on the way to a result, which is flushed; a power cut can lose
        // the last states' rows, never an outcome (docs/API.md, "What waits for the disk").
        return writer.submit(Op.lazy(change.id(), batch -> transitions.state(batch, change)));
    }

    @Override
    public CompletableFuture<Applied> applyResultAsync(Result result) {
        Objects.requireNonNull(result, "result must not be null");
        long now = System.currentTimeMillis();
        String resultJson = json.encode(result);
        return writer.submit(new Op<>(result.id(), batch -> transitions.result(batch, result, resultJson, now)));
    }

    @Override
    public CompletableFuture<Void> appendLogAsync(LogChunk chunk) {
        Objects.requireNonNull(chunk, "chunk must not be null");
        return writer.submit(new Op<>(null, batch -> {
            batch.log(chunk);
            return null;
        }));
    }

    @Override
    public CompletableFuture<Boolean> applyPresenceAsync(Presence presence) {
        Objects.requireNonNull(presence, "presence must not be null");
        long now = System.currentTimeMillis();
        return writer.submit(new Op<>(null, batch -> nodes.apply(batch.connection(), batch.dialect(), presence, now)));
    }

    @Override
    public CompletableFuture<List<String>> markSilentAsync(Instant silentSince) {
        Objects.requireNonNull(silentSince, "silentSince must not be null");
        return writer.submit(new Op<>(null, batch -> nodes.markSilent(batch.connection(), silentSince.toEpochMilli())));
    }

    @Override
    public CompletableFuture<Void> applyApprovalRequestAsync(ApprovalRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        long now = System.currentTimeMillis();
        return writer.submit(new Op<>(null, batch -> {
            approvals.request(batch.connection(), request, now);
            return null;
        }));
    }

    @Override
    public CompletableFuture<Void> applyApprovalDecisionAsync(ApprovalDecision decision, String decidedBy) {
        Objects.requireNonNull(decision, "decision must not be null");
        long now = System.currentTimeMillis();
        return writer.submit(new Op<>(null, batch -> {
            approvals.decision(batch.connection(), decision, decidedBy, now);
            return null;
        }));
    }

    @Override
    public CompletableFuture<Void> markPublishedAsync(String id, Instant at) {
        Objects.requireNonNull(id, "id must not be null");
        long atMillis = at.toEpochMilli();
        // Lazy: a mark lost in a power cut makes the restart publish the exec once more, which the
        // node answers from its store without running it again.
        return writer.submit(Op.lazy(id, batch -> {
            transitions.published(batch, id, atMillis);
            return null;
        }));
    }

    @Override
    public CompletableFuture<List<CommandView>> expireDueAsync(Instant now) {
        Objects.requireNonNull(now, "now must not be null");
        long nowMillis = now.toEpochMilli();
        long dueBefore = nowMillis - config.expiryGrace().toMillis();
        return writer.submit(new Op<>(null, batch -> {
            List<CommandView> expired = new ArrayList<>();
            for (CommandRow row : batch.select("status = ? AND expires_at <= ?", ps -> {
                ps.setString(1, CommandStatus.QUEUED.name());
                ps.setLong(2, dueBefore);
            })) {
                if (transitions.expire(batch, row, nowMillis)) {
                    expired.add(views.command(row));
                }
            }
            return expired;
        }));
    }

    @Override
    public CompletableFuture<List<CommandView>> markLostAsync(Duration grace, Instant now) {
        Objects.requireNonNull(grace, "grace must not be null");
        Objects.requireNonNull(now, "now must not be null");
        long nowMillis = now.toEpochMilli();
        long offlineBefore = now.minus(grace).toEpochMilli();
        return writer.submit(new Op<>(null, batch -> {
            List<CommandView> lost = new ArrayList<>();
            long graceMillis = config.expiryGrace().toMillis();
            // One query, whatever the fleet: the nodes table is read without its JSON columns, and
            // only the offline nodes' commands are looked up (the (node, status, ...) index).
            for (CommandRow row : batch.select("status IN (?, ?, ?) AND node IN "
                    + "(SELECT node FROM nodes WHERE state = ? AND since <= ?)", ps -> {
                ps.setString(1, CommandStatus.RUNNING.name());
                ps.setString(2, CommandStatus.DELIVERED.name());
                ps.setString(3, CommandStatus.AWAITING_APPROVAL.name());
                ps.setString(4, Presence.State.OFFLINE.name());
                ps.setLong(5, offlineBefore);
            })) {
                if (transitions.lose(batch, row, nowMillis, graceMillis)) {
                    lost.add(views.command(row));
                }
            }
            return lost;
        }));
    }

    @Override
    public CompletableFuture<Integer> pruneAsync(Instant recordedBefore, int limit) {
        Objects.requireNonNull(recordedBefore, "recordedBefore must not be null");
        if (limit < 1 || limit > MAX_PRUNE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PRUNE + ", not " + limit);
        }
        long before = recordedBefore.toEpochMilli();
        // Lazy: a prune lost in a power cut is simply done again.
        return writer.submit(Op.lazy(null, batch -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = batch.connection().prepareStatement("SELECT id FROM commands"
                    + batch.dialect().indexedBy("commands_created") + " WHERE created_at < ? AND status IN ("
                    + Batch.placeholders(TERMINAL.size()) + ") ORDER BY created_at LIMIT ?")) { // in the created_at index's order: no sort of the whole table
                int i = 1;
                ps.setLong(i++, before);
                for (CommandStatus s : TERMINAL) {
                    ps.setString(i++, s.name());
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return batch.deleteCommands(ids);
        }));
    }

    @Override
    public List<Exec> queuedFor(String node, Instant now, int limit) {
        return reads().queuedFor(node, now.toEpochMilli(), limit);
    }

    @Override
    public Optional<Exec> exec(String id) {
        return reads().exec(id);
    }

    @Override
    public List<Exec> unpublished(Instant now, int limit) {
        return reads().unpublished(now.toEpochMilli(), limit);
    }

    @Override
    public Optional<CommandView> command(String id) {
        return reads().command(id);
    }

    @Override
    public List<HistoryEntry> history(String id) {
        return reads().history(id);
    }

    @Override
    public List<CommandView> commands(CommandQuery query) {
        return reads().commands(query);
    }

    @Override
    public List<LogChunk> logs(String id, long fromSeq, int limit) {
        return reads().logs(id, fromSeq, limit);
    }

    @Override
    public List<NodeView> nodes() {
        return reads().nodes(null);
    }

    @Override
    public Optional<NodeView> node(String id) {
        return reads().nodes(id).stream().findFirst();
    }

    @Override
    public List<ApprovalView> approvals(ApprovalState state) {
        return reads().approvals(state);
    }

    @Override
    public Optional<ApprovalView> approval(String commandId) {
        return reads().approval(commandId);
    }

    @Override
    public RequestView request(String requestId) {
        return reads().request(requestId);
    }

    @Override
    public List<CommandView> requestCommands(String requestId) {
        return reads().requestCommands(requestId);
    }

    @Override
    public List<InvocationStatus> requestStatuses(String requestId) {
        return reads().requestStatuses(requestId);
    }

    @Override
    public List<Anomaly> anomalies(int limit) {
        return reads().anomalies(limit);
    }

    @Override
    public List<Anomaly> anomalies(String commandId) {
        return reads().anomaliesOf(commandId);
    }

    /** The reads, unless the ledger is closed (its pools are gone then). */
    private Reads reads() {
        if (closed.get()) {
            throw new LedgerException(LedgerException.Reason.CLOSED, "the ledger is closed");
        }
        return reads;
    }

    @Override
    public void ping() {
        // Through the writer: proves that its thread runs and that a write transaction commits.
        CompletableFuture<Void> done = writer.submit(new Op<>(null, batch -> {
            try (var st = batch.connection().createStatement()) {
                st.execute("SELECT 1");
            }
            return null;
        }));
        try {
            done.get(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new LedgerException(LedgerException.Reason.UNAVAILABLE,
                    "the ledger did not commit within " + PING_TIMEOUT.toSeconds() + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException(LedgerException.Reason.INTERRUPTED, "interrupted while pinging the ledger", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LedgerException le) {
                throw le;
            }
            throw new LedgerException(LedgerException.Reason.UNAVAILABLE, "the ledger cannot write: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        if (Writer.onWriterThread()) {
            throw new IllegalStateException("the ledger cannot be closed from its own writer thread (a stage of a ledger future)");
        }
        if (closed.compareAndSet(false, true)) {
            writer.close();
            database.close();
        }
    }
}
