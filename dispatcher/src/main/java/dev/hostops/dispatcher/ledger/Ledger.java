package dev.hostops.dispatcher.ledger;

import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import dev.hostops.dispatcher.ledger.internal.JdbcLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The dispatcher's durable record of commands and everything the nodes said about them.
 *
 * <h2>Durability</h2>
 * Every write goes through one writer thread that commits many events per transaction. A write
 * is durable when its future completes normally: the transaction holding it has committed. So:
 * <ul>
 *   <li>the HTTP API calls the blocking {@link #recordCommand} (or joins {@link #recordCommandAsync})
 *       and answers its caller only after that, so an acknowledged command is never lost;</li>
 *   <li>the broker subscriber calls the {@code ...Async} methods and acks the broker message when the
 *       future completes: an event not yet committed is redelivered after a crash, and since every
 *       write is idempotent, the redelivery changes nothing that was already stored.</li>
 * </ul>
 * How far a commit goes is {@link LedgerConfig#durability()}: by default it survives a power loss
 * (an fsync per transaction; cheap per event because transactions are large), or with
 * {@code PROCESS_CRASH} only a killed dispatcher, several times faster for callers that write one
 * event at a time and wait for each.
 *
 * <h2>Throughput</h2>
 * The writer commits whatever is queued in one transaction, so throughput comes from many
 * events in flight: callers that pipeline (the {@code ...Async} methods, or many threads) reach
 * thousands of commands per second; one thread waiting for each event in turn gets one commit per
 * event.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. Futures complete on the ledger's writer thread: keep dependent
 * stages short (acking a broker message is fine), or continue on your own executor with the
 * {@code ...Async} stages of {@link CompletableFuture}. The blocking methods refuse to run there.
 *
 * <h2>Failures</h2>
 * Futures fail with {@link LedgerException}: {@code CLOSED} after {@link #close()},
 * {@code UNAVAILABLE} when the database cannot be reached (within seconds, not after retries),
 * {@code WRITE_FAILED} when the transaction failed (nothing of that event was stored). The
 * blocking methods throw the same exception. Reads throw {@code UNAVAILABLE} when the database
 * cannot be reached. Invalid arguments are rejected with {@link IllegalArgumentException} or
 * {@link NullPointerException} before anything is queued.
 *
 * <h2>Order</h2>
 * Events may arrive in any order and any number of times; the final state is the same (see the
 * method docs). All writes are applied in the order they were queued.
 */
public interface Ledger extends AutoCloseable {

    /** Opens (and migrates) the ledger described by {@code config}. */
    static Ledger open(LedgerConfig config) {
        return JdbcLedger.open(config);
    }

    // ---- writes (asynchronous: the future completes after commit) ----

    /**
     * Records an exec. Idempotent per id: the same exec again answers EXISTS; a different exec
     * (any field, including the node) with the same id answers CONFLICT and changes nothing, as does
     * an invocation of a fan-out request ({@code requestId} given) whose id a command of no or
     * another request holds. If states or a result of this id arrived first, they stay and the
     * exec completes the row.
     *
     * @param source    "api:&lt;token name&gt;" or "broker"
     * @param requestId the fan-out group, or null
     * @param at        when the command was submitted or seen; becomes its QUEUED time
     */
    default CompletableFuture<SubmitOutcome> recordCommandAsync(Exec exec, String source, String requestId, Instant at) {
        return recordCommandAsync(exec, source, requestId, at, false);
    }

    /**
     * {@link #recordCommandAsync(Exec, String, String, Instant)}, where {@code expiryDefaulted} says
     * the caller left {@code expiresAt} out and the dispatcher filled it in (and signed the exec with
     * it). Then a retry of a recorded id is the same command when everything but {@code expiresAt}
     * and the signature is the same: it answers EXISTS, and {@link SubmitOutcome#exec()} is the
     * stored exec, with the first deadline and signature, to publish again if need be. The check is
     * made by the writer, inside the batch: a submission costs no read of the ledger.
     */
    CompletableFuture<SubmitOutcome> recordCommandAsync(Exec exec, String source, String requestId, Instant at,
                                                        boolean expiryDefaulted);

    /**
     * Applies a node's state change (DELIVERED, AWAITING_APPROVAL or RUNNING; any other status is
     * rejected with {@link IllegalArgumentException}: an end comes as a result). A change to an earlier state than the current one (a
     * DELIVERED after RUNNING) does not move the status back (IGNORED) but its time is kept; the
     * same change twice is a DUPLICATE. Every applied change is written to the history with its time.
     */
    CompletableFuture<Applied> applyStateAsync(StateChange change);

    /**
     * Applies a command's one result. Terminal. The same result again is a DUPLICATE; a result for
     * a command the dispatcher declared EXPIRED or LOST, or a different second result, is an
     * ANOMALY: recorded in {@link #anomalies}, counted in a metric, and never overwrites. A result
     * for a command whose exec was not seen yet is stored and completed when the exec arrives.
     */
    CompletableFuture<Applied> applyResultAsync(Result result);

    /** Stores a log chunk. Idempotent per (id, seq). */
    CompletableFuture<Void> appendLogAsync(LogChunk chunk);

    /**
     * Stores a node's presence. An OFFLINE from an older agent session (a late last will) does not
     * mark a newer session offline. Completes with true when the presence changed what the ledger
     * shows of the node (a new node, another state or agent session, another hostname, labels,
     * capabilities...), false for a repeat (an agent's heartbeat, a retained presence seen again)
     * or a stale one.
     */
    CompletableFuture<Boolean> applyPresenceAsync(Presence presence);

    /**
     * Marks offline, as of when they were last heard, the online nodes nothing was heard from
     * (no presence, not even a heartbeat) since {@code silentSince}; completes with their ids.
     * Their commands in progress then turn LOST after the grace, as for a node that said it left.
     */
    CompletableFuture<List<String>> markSilentAsync(Instant silentSince);

    /** Stores an approval request as PENDING (idempotent per command id). */
    CompletableFuture<Void> applyApprovalRequestAsync(ApprovalRequest request);

    /** Stores an approval decision; the first decision for a request wins. */
    CompletableFuture<Void> applyApprovalDecisionAsync(ApprovalDecision decision, String decidedBy);

    /**
     * Declares EXPIRED every QUEUED command whose expiresAt plus {@link LedgerConfig#expiryGrace()}
     * has passed at {@code now}, and returns them.
     *
     * <p>Only QUEUED. A DELIVERED (or AWAITING_APPROVAL) command is on its node, which checks
     * expiresAt itself before starting and reports EXPIRED; the dispatcher cannot know whether it
     * is starting at this very moment, and must never declare EXPIRED something that may still
     * run. Such commands end by the node's result, or LOST if the node goes away.
     */
    CompletableFuture<List<CommandView>> expireDueAsync(Instant now);

    /**
     * Declares LOST the commands that cannot end by themselves while their node is away, on every
     * node the ledger shows offline since at least {@code grace} before {@code now}, and returns
     * them:
     * <ul>
     *   <li>every RUNNING command (the agent died mid-run or is unreachable; outcome unknown);</li>
     *   <li>DELIVERED and AWAITING_APPROVAL commands whose expiresAt plus
     *       {@link LedgerConfig#expiryGrace()} has passed: the node either expired them or started
     *       them before the deadline, and the ledger cannot tell which, so not EXPIRED but LOST.</li>
     * </ul>
     * A DELIVERED command without expiresAt is left alone: the node may still run it when it
     * returns. A node shown online is left alone, whichever agent session came back: the same one
     * (a reconnect) is still running its commands, and a restarted agent reports the commands its
     * store holds as RUNNING as LOST itself. A result that arrives later is recorded as an anomaly,
     * never applied.
     *
     * <p>One query over the commands that are still on a node, whatever the number of nodes: the
     * deadline sweeper runs it every second.
     */
    CompletableFuture<List<CommandView>> markLostAsync(Duration grace, Instant now);

    /**
     * Forgets at most {@code limit} finished commands recorded before {@code recordedBefore}, oldest
     * first, with everything kept about them: their states, result, log chunks, approval and
     * anomalies. A command still in progress is never forgotten, whatever its age; nor is one an
     * event in the same ledger transaction is working on (the next call takes it). Returns how
     * many it forgot; fewer than {@code limit} means none older is left (but those skipped).
     *
     * <p>A forgotten id is unknown again: the API answers 404 for it, and the same id submitted
     * again is a new command (its node, which remembers ids for its own retention, answers with
     * the result it stored if it still has it).
     */
    CompletableFuture<Integer> pruneAsync(Instant recordedBefore, int limit);

    /**
     * Notes that the broker acknowledged this dispatcher's publish of the command's exec, so a
     * restart does not publish it again ({@link #unpublished}). Idempotent: the first time is kept.
     * Does nothing for an unknown id.
     */
    CompletableFuture<Void> markPublishedAsync(String id, Instant at);

    // ---- blocking forms of the writes: return after commit ----

    default SubmitOutcome recordCommand(Exec exec, String source, String requestId, Instant at) {
        return await(recordCommandAsync(exec, source, requestId, at));
    }

    default Applied applyState(StateChange change) {
        return await(applyStateAsync(change));
    }

    default Applied applyResult(Result result) {
        return await(applyResultAsync(result));
    }

    default void appendLog(LogChunk chunk) {
        await(appendLogAsync(chunk));
    }

    default boolean applyPresence(Presence presence) {
        return await(applyPresenceAsync(presence));
    }

    default List<String> markSilent(Instant silentSince) {
        return await(markSilentAsync(silentSince));
    }

    default void applyApprovalRequest(ApprovalRequest request) {
        await(applyApprovalRequestAsync(request));
    }

    default void applyApprovalDecision(ApprovalDecision decision, String decidedBy) {
        await(applyApprovalDecisionAsync(decision, decidedBy));
    }

    default List<CommandView> expireDue(Instant now) {
        return await(expireDueAsync(now));
    }

    default List<CommandView> markLost(Duration grace, Instant now) {
        return await(markLostAsync(grace, now));
    }

    default int prune(Instant recordedBefore, int limit) {
        return await(pruneAsync(recordedBefore, limit));
    }

    // ---- reads (see committed data) ----

    Optional<CommandView> command(String id);

    /** The exec as recorded (signed, with its deadline), when the ledger has one for this id. */
    Optional<Exec> exec(String id);

    /**
     * The ledger as outbox: execs accepted through the API ({@code source} "api:...") that are still
     * QUEUED, not yet marked published and not past {@code expiresAt} at {@code now}, oldest first,
     * at most {@code limit}. A dispatcher publishes them after a restart.
     */
    List<Exec> unpublished(Instant now, int limit);

    /**
     * The execs accepted through the API for {@code node} that are still QUEUED (the node never
     * said it has them) and not past {@code expiresAt} at {@code now}, oldest first, at most
     * {@code limit}, published or not: what to send again when the node comes online.
     */
    List<Exec> queuedFor(String node, Instant now, int limit);

    /** Every status the command entered, in the order it entered them (empty for an unknown id). */
    List<HistoryEntry> history(String id);

    /** Commands matching the query, newest first. */
    List<CommandView> commands(CommandQuery query);

    /** Log chunks of a command with seq &gt;= fromSeq, in seq order, at most limit. */
    List<LogChunk> logs(String id, long fromSeq, int limit);

    List<NodeView> nodes();

    Optional<NodeView> node(String id);

    List<ApprovalView> approvals(ApprovalState state);

    /** The approval request about this command (its id is the command's), if a node asked one. */
    Optional<ApprovalView> approval(String commandId);

    /** The fan-out group (empty when no command carries this request id). */
    RequestView request(String requestId);

    /** The fan-out group's commands only, ordered by node (at most the first 10,000): {@link #request} without its counts. */
    List<CommandView> requestCommands(String requestId);

    /**
     * The commands of a fan-out group as id, node and status only, ordered by node (at most the
     * first 10,000, as {@link #request}): what a view of thousands of invocations without their
     * details needs, without reading and decoding each command.
     */
    List<InvocationStatus> requestStatuses(String requestId);

    /** The newest anomalies first. */
    List<Anomaly> anomalies(int limit);

    /** The anomalies about one command, oldest first (a result after EXPIRED or LOST, ...). */
    List<Anomaly> anomalies(String commandId);

    /** Succeeds when the ledger can commit a write (for /readyz); throws {@link LedgerException} otherwise. */
    void ping() throws LedgerException;

    /** Commits what is queued, stops the writer and closes the connections. Idempotent. */
    @Override
    void close();

    /**
     * Waits for a ledger future, unwrapping its {@link LedgerException}.
     *
     * @throws IllegalStateException on the ledger's writer thread (in a stage depending on a ledger
     *                               future), where the wait would never end
     */
    static <T> T await(CompletableFuture<T> future) {
        if (!future.isDone() && JdbcLedger.onWriterThread()) {
            throw new IllegalStateException("a ledger write cannot be waited for on the ledger's writer thread "
                    + "(inside a stage of a ledger future); use the ...Async method and chain on it, or an executor");
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException(LedgerException.Reason.INTERRUPTED, "interrupted while waiting for the ledger to commit", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new LedgerException(LedgerException.Reason.WRITE_FAILED, "the ledger write failed: " + cause, cause);
        }
    }
}
