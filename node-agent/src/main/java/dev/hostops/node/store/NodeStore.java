package dev.hostops.node.store;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Result;
import dev.hostops.node.store.internal.CommandTable;
import dev.hostops.node.store.internal.OutboxTable;
import dev.hostops.node.store.internal.SqliteDatabase;
import dev.hostops.node.store.internal.Transitions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The node agent's durable state in its data directory ({@code dataDir/node.db}, SQLite in WAL
 * mode): the record of every command id seen (the basis of <em>at most once execution per command
 * id</em>) and the outbox of messages that must reach the broker (<em>no lost result</em>).
 *
 * <h2>How the agent uses it</h2>
 * <ol>
 *   <li>On each exec delivery: {@link #claim}. Only a {@link Claim.New} may lead to a run. A
 *       {@link Claim.Seen} whose record is terminal means a redelivery of a finished command: the
 *       agent republishes {@link CommandRecord#resultJson()} and runs nothing. A {@code Seen} that is
 *       not terminal is a duplicate of a command being handled right now (or being recovered): ignore.</li>
 *   <li>{@link #markAwaitingApproval} when it asks a person.</li>
 *   <li>{@link #markStarting} <b>before</b> spawning the process, then {@link #markRunning} with the
 *       pid once it is known. {@code markStarting} is the gate: it succeeds once per id, ever.</li>
 *   <li>{@link #complete} with the result and its publication: both are written in one transaction.</li>
 *   <li>A publisher loop: {@link #pending} oldest first, publish, {@link #acknowledge} once the
 *       broker confirmed (QoS 1 PUBACK / AMQP publisher confirm).</li>
 *   <li>Now and then {@link #prune} records finished longer ago than the dedupe window.</li>
 * </ol>
 *
 * <h2>Crash cases (kill -9 or power loss at any point)</h2>
 * Every method is one SQLite transaction, so after a crash each step either happened or did not.
 * <ul>
 *   <li><b>Crash after claim, before start</b>: the record is DELIVERED or AWAITING_APPROVAL, never
 *       RUNNING. The process was never spawned (spawning comes after the {@code markStarting} commit),
 *       so on restart the agent re-evaluates it from {@link #unfinished()}: it may run it (if
 *       {@code expiresAt} has not passed and the policy still allows) or complete it as EXPIRED /
 *       REJECTED. A pending approval request is asked again.</li>
 *   <li><b>Crash after {@code markStarting}</b> (with or without a pid): the record is RUNNING. The
 *       process may have run, partly or fully; the outcome is unknown. On restart the agent completes
 *       it as LOST and never runs it again ({@code markStarting} would refuse anyway). A RUNNING
 *       record without a pid is a crash between the commit and the spawn: maybe it never ran, but
 *       LOST is the honest answer, and re-running could run it twice.</li>
 *   <li><b>Crash after {@code complete}, before the broker acknowledged</b>: the result is in the
 *       outbox and is published again on start. The dispatcher may then see the same result twice;
 *       results are keyed by command id, so a repeat is harmless.</li>
 *   <li><b>Crash in the middle of {@code complete}</b>: nothing of it is visible; the command is
 *       still RUNNING and becomes LOST, as above.</li>
 *   <li><b>Redelivery of a completed id</b> (broker redelivery, dispatcher retry, agent restart):
 *       {@code claim} returns {@code Seen} with the stored result, which the agent republishes.</li>
 *   <li><b>Redelivery after {@link #prune}</b>: the id is forgotten and would run again; the retention
 *       must therefore exceed the longest time a command can be redelivered (its {@code expiresAt},
 *       or the broker's message TTL), which is why pruning takes an explicit instant.</li>
 * </ul>
 * With {@link Durability#NORMAL} the above holds for a crash of the process; a power loss or OS
 * crash may lose the last commits (never corrupt the file), which could turn a started command
 * back into a DELIVERED one: use {@link Durability#FULL} where that matters.
 *
 * <h2>Concurrency and throughput</h2>
 * Thread-safe: one connection behind a lock; writes are {@code BEGIN IMMEDIATE} transactions, so
 * two processes on the same file are also serialized (a second process waits up to
 * {@link SqliteDatabase#BUSY_TIMEOUT}, then gets {@link StoreException.Code#BUSY}).
 *
 * <p>Every write method returns after its commit. With {@link Durability#FULL} a commit costs an
 * fsync (from a tenth of a millisecond to several on a virtual disk), so one thread calling the
 * store in a loop is bounded by the disk. Writes that arrive while another commits are
 * <em>group-committed</em>: they share the next transaction and its fsync, each in its own
 * savepoint (one write's refusal never undoes another's). Throughput therefore grows with the
 * number of commands in flight: handle commands on several threads, and acknowledge outbox
 * batches with {@link #acknowledgeAll}.
 */
public final class NodeStore implements AutoCloseable {
    /** The database file's name inside the data directory. */
    public static final String FILE_NAME = "node.db";

    /** How much a commit survives. */
    public enum Durability {
        /** Survives power loss and OS crashes: the write-ahead log is fsynced at every commit. */
        FULL,
        /** Survives a crash of the process (kill -9); a power loss may lose the latest commits. */
        NORMAL
    }

    private static final int MAX_ID_LENGTH = 128;

    private final SqliteDatabase db;
    private final Clock clock;
    private final MessageCodec codec = MessageCodec.standard();

    private NodeStore(SqliteDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Opens (creating the directory and the database if needed) the store in {@code dataDir}. */
    public static NodeStore open(Path dataDir, Durability durability) throws StoreException {
        return open(dataDir, durability, Clock.systemUTC());
    }

    /** As {@link #open(Path, Durability)}, with the clock that stamps completions and outbox entries. */
    public static NodeStore open(Path dataDir, Durability durability, Clock clock) throws StoreException {
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        Objects.requireNonNull(durability, "durability must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        return new NodeStore(SqliteDatabase.open(dataDir.resolve(FILE_NAME), durability == Durability.FULL), clock);
    }

    /**
     * Atomically records a command id as seen (DELIVERED, with its exec JSON) if it never was.
     * Exactly one claim per id, across threads, processes and restarts, gets {@link Claim.New}
     * (until {@link #prune} forgets the finished id). A caller that saw its claim fail tries
     * again with {@link #claimAgainAsync}.
     */
    public Claim claim(String commandId, byte[] execJson, Instant receivedAt) throws StoreException {
        checkClaim(commandId, execJson, receivedAt);
        return db.inTransaction("claim command " + commandId, claimWork(commandId, execJson, receivedAt, false));
    }

    /**
     * {@link #claim}, without waiting for the commit: the claim joins the next group commit and
     * the stage completes (with the claim, or a {@link StoreException}) once it is durable.
     * Claims commit in the order of the calls. For the node's intake, which would otherwise take
     * one message per fsync.
     */
    public CompletableFuture<Claim> claimAsync(String commandId, byte[] execJson, Instant receivedAt) {
        checkClaim(commandId, execJson, receivedAt);
        return db.inTransactionAsync("claim command " + commandId, claimWork(commandId, execJson, receivedAt, false));
    }

    /**
     * {@link #claimAsync} made again by the caller whose earlier claim (or {@link #claimStarting})
     * of this message failed as far as it knows, with the same exec bytes and {@code receivedAt}.
     * A failure can be reported for a commit that reached the disk after all; then the record
     * is this caller's own, and it gets {@link Claim.New} back, with the same seq, while the
     * command is still only claimed. A record that {@link #claimStarting} marked RUNNING without
     * a pid is set back to DELIVERED: its caller saw the claim fail and spawned nothing. So an
     * unsure failure neither strands the command (claimed, never run, until a restart) nor makes
     * it LOST without a run. Anything else, including a claim by another delivery (received at
     * another instant: the store keeps receivedAt to the nanosecond), is {@link Claim.Seen}.
     */
    public CompletableFuture<Claim> claimAgainAsync(String commandId, byte[] execJson, Instant receivedAt) {
        checkClaim(commandId, execJson, receivedAt);
        return db.inTransactionAsync("claim command " + commandId + " again", claimWork(commandId, execJson, receivedAt, true));
    }

    /**
     * {@link #claim} and {@link #markStarting} in one transaction, for a command that may start at
     * once: a new id is recorded RUNNING (pid unknown), so the process may be spawned when this
     * returns, and one commit serves both. A crash after it makes the command LOST, as after
     * {@code markStarting}. A known id is left as it is and returned as {@link Claim.Seen}.
     */
    public Claim claimStarting(String commandId, byte[] execJson, Instant receivedAt, Instant startedAt) throws StoreException {
        checkClaim(commandId, execJson, receivedAt);
        Objects.requireNonNull(startedAt, "startedAt must not be null");
        SqliteDatabase.Work<Claim> claim = claimWork(commandId, execJson, receivedAt, false);
        return db.inTransaction("claim and start command " + commandId, c -> {
            Claim claimed = claim.run(c);
            if (!(claimed instanceof Claim.New fresh)) {
                return claimed; // known: left as it is
            }
            CommandTable.setRunning(c, commandId, startedAt, null);
            return new Claim.New(new CommandRecord(commandId, CommandStatus.RUNNING, execJson, receivedAt, startedAt, null, null),
                    fresh.seq());
        });
    }

    /**
     * {@link #claim} and {@link #complete} in one transaction, for a command answered without a run
     * (rejected on arrival: addressed to another node, unreadable past its id): a new id is recorded
     * with its result and the result's publication, so no restart finds it claimed and unanswered,
     * and one commit serves both. A known id is left as it is and returned as {@link Claim.Seen}.
     * Asynchronous like {@link #claimAsync}: the stage completes once the commit is durable.
     *
     * @param result a result that never ran (REJECTED, EXPIRED or CANCELLED) for {@code commandId}
     */
    public CompletableFuture<Claim> claimAnsweredAsync(String commandId, byte[] execJson, Instant receivedAt,
                                                       Result result, OutboxEntry publication) {
        checkClaim(commandId, execJson, receivedAt);
        checkResult(commandId, result, publication);
        byte[] resultJson = codec.encode(result);
        SqliteDatabase.Work<Claim> claim = claimWork(commandId, execJson, receivedAt, false);
        return db.inTransactionAsync("claim and answer command " + commandId, c -> {
            Claim claimed = claim.run(c);
            if (!(claimed instanceof Claim.New fresh)) {
                return claimed; // known: left as it is
            }
            Transitions.toTerminal(commandId, CommandStatus.DELIVERED, null, result.status()); // a run result throws
            Instant now = clock.instant();
            CommandTable.setResult(c, commandId, result.status(), resultJson, now.toEpochMilli());
            OutboxTable.insert(c, publication, now);
            return new Claim.New(new CommandRecord(commandId, result.status(), execJson, receivedAt, null, null, resultJson),
                    fresh.seq());
        });
    }

    private static void checkClaim(String commandId, byte[] execJson, Instant receivedAt) {
        requireId(commandId);
        Objects.requireNonNull(execJson, "execJson must not be null");
        Objects.requireNonNull(receivedAt, "receivedAt must not be null");
    }

    private static void checkResult(String commandId, Result result, OutboxEntry publication) {
        Objects.requireNonNull(result, "result must not be null");
        Objects.requireNonNull(publication, "publication must not be null");
        if (!result.id().equals(commandId)) {
            throw new IllegalArgumentException("result.id " + result.id() + " is not the command id " + commandId);
        }
    }

    /**
     * @param takeBack whether the same claim tried again gets it back ({@link #claimAgainAsync})
     */
    private static SqliteDatabase.Work<Claim> claimWork(String commandId, byte[] execJson, Instant receivedAt, boolean takeBack) {
        return c -> {
            long seq = CommandTable.insertIfAbsent(c, commandId, execJson, receivedAt);
            if (seq < 0 && takeBack) {
                seq = CommandTable.reclaim(c, commandId, execJson, receivedAt); // the same claim, tried again
            }
            if (seq >= 0) {
                return new Claim.New(new CommandRecord(commandId, CommandStatus.DELIVERED, execJson, receivedAt, null, null, null), seq);
            }
            return new Claim.Seen(CommandTable.require(c, commandId));
        };
    }

    public Optional<CommandRecord> find(String commandId) throws StoreException {
        requireId(commandId);
        return db.read("read command " + commandId, c -> CommandTable.find(c, commandId));
    }

    /** DELIVERED to AWAITING_APPROVAL; repeating it is a no-op. */
    public void markAwaitingApproval(String commandId) throws StoreException {
        requireId(commandId);
        db.inTransaction("mark command " + commandId + " awaiting approval", c -> {
            CommandRecord r = CommandTable.require(c, commandId);
            if (Transitions.toAwaitingApproval(commandId, r.status()) == Transitions.Outcome.APPLY) {
                CommandTable.setStatus(c, commandId, CommandStatus.AWAITING_APPROVAL);
            }
            return null;
        });
    }

    /**
     * Records that the process is about to be spawned (RUNNING, pid unknown). Call it before the
     * spawn and spawn only if it returned: it succeeds once per id, so no id is ever started twice,
     * and a crash after it makes the command LOST rather than re-run.
     *
     * @throws StoreException {@code ILLEGAL_TRANSITION} if the command was already started or is finished
     */
    public void markStarting(String commandId, Instant startedAt) throws StoreException {
        requireId(commandId);
        Objects.requireNonNull(startedAt, "startedAt must not be null");
        db.inTransaction("mark command " + commandId + " starting", c -> {
            CommandRecord r = CommandTable.require(c, commandId);
            Transitions.toStarting(commandId, r.status());
            CommandTable.setRunning(c, commandId, startedAt, null);
            return null;
        });
    }

    /**
     * Records the running process's pid (RUNNING). Normally after {@link #markStarting}; called on a
     * DELIVERED or AWAITING_APPROVAL command it starts it in one step (which leaves the short window
     * between the spawn and this commit in which a crash would make the command look never started).
     * Repeating it with the same pid is a no-op.
     * The pid record is committed without its own fsync: a power cut can only lose the pid of
     * a LOST report, never the RUNNING state itself when {@link #markStarting} wrote it first.
     */
    public void markRunning(String commandId, Instant startedAt, long pid) throws StoreException {
        db.inLazyTransaction("mark command " + commandId + " running", markRunningWork(commandId, startedAt, pid));
    }

    /**
     * {@link #markRunning}, without waiting: the write joins the next group commit, ahead of any
     * write asked for after this call (the command's result, say), and the stage completes once it
     * is committed, or fails with the {@link StoreException}. The pid only improves a LOST report,
     * so the spawning thread need not wait for it.
     */
    public CompletableFuture<Void> markRunningAsync(String commandId, Instant startedAt, long pid) {
        return db.inLazyTransactionAsync("mark command " + commandId + " running", markRunningWork(commandId, startedAt, pid));
    }

    private static SqliteDatabase.Work<Void> markRunningWork(String commandId, Instant startedAt, long pid) {
        requireId(commandId);
        Objects.requireNonNull(startedAt, "startedAt must not be null");
        return c -> {
            CommandRecord r = CommandTable.require(c, commandId);
            if (Transitions.toRunning(commandId, r.status(), r.pid(), pid) == Transitions.Outcome.APPLY) {
                CommandTable.setRunning(c, commandId, startedAt, pid);
            }
            return null;
        };
    }

    /**
     * Stores the final result and enqueues its publication in one transaction. Idempotent per id:
     * when the command is already terminal nothing is written and it returns false (the first
     * result stands).
     *
     * @return true when this call stored the result
     * @throws StoreException {@code UNKNOWN_COMMAND} if the id was never claimed;
     *                        {@code ILLEGAL_TRANSITION} if the result contradicts the record: a
     *                        command with a recorded pid cannot be REJECTED or EXPIRED (a RUNNING one
     *                        without a pid can: the spawn failed); one never started cannot be
     *                        SUCCEEDED, FAILED, TIMED_OUT or LOST
     */
    public boolean complete(String commandId, Result result, OutboxEntry publication) throws StoreException {
        requireId(commandId);
        checkResult(commandId, result, publication);
        byte[] resultJson = codec.encode(result);
        Instant now = clock.instant();
        return db.inTransaction("complete command " + commandId, c -> {
            CommandRecord r = CommandTable.require(c, commandId);
            if (Transitions.toTerminal(commandId, r.status(), r.pid(), result.status()) == Transitions.Outcome.ALREADY_DONE) {
                return false;
            }
            CommandTable.setResult(c, commandId, result.status(), resultJson, now.toEpochMilli());
            OutboxTable.insert(c, publication, now);
            return true;
        });
    }

    /**
     * Commands without a result, oldest first: DELIVERED and AWAITING_APPROVAL ones (never started;
     * the agent re-evaluates them) and RUNNING ones (the agent completes them as LOST). Meant for
     * the agent's start, before it takes new deliveries.
     */
    public List<CommandRecord> unfinished() throws StoreException {
        return db.read("list unfinished commands", c -> CommandTable.unfinished(c, false));
    }

    /**
     * Like {@link #unfinished()} without the DELIVERED ones: the RUNNING commands and those
     * AWAITING_APPROVAL, which a restarted agent handles one by one. The DELIVERED ones, however
     * many, it reads in pages with {@link #deliveredAfter}.
     */
    public List<CommandRecord> startedOrAsking() throws StoreException {
        return db.read("list started commands", c -> CommandTable.unfinished(c, true));
    }

    /**
     * Up to {@code limit} DELIVERED commands (claimed, not yet started nor asking) claimed after
     * the one with {@code afterSeq} (0: from the first), in claim order.
     */
    public List<QueuedCommand> deliveredAfter(long afterSeq, int limit) throws StoreException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        return db.read("read waiting commands", c -> CommandTable.deliveredAfter(c, afterSeq, limit));
    }

    /** Adds a message to the outbox; returns its sequence number. */
    public long enqueue(OutboxEntry entry) throws StoreException {
        Objects.requireNonNull(entry, "entry must not be null");
        Instant now = clock.instant();
        return db.inTransaction("enqueue a message for " + entry.topic(), c -> OutboxTable.insert(c, entry, now));
    }

    /** Up to {@code limit} unacknowledged messages, oldest first. They stay until acknowledged. */
    public List<PendingPublication> pending(int limit) throws StoreException {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return db.read("read the outbox", c -> OutboxTable.oldest(c, limit));
    }

    /**
     * Removes a message from the outbox. Call it only after the broker acknowledged the publish.
     * Acknowledging an unknown or already acknowledged sequence number is a no-op.
     */
    public void acknowledge(long outboxSeq) throws StoreException {
        db.inLazyTransaction("acknowledge outbox entry " + outboxSeq, c -> OutboxTable.delete(c, outboxSeq));
    }

    /**
     * Removes several acknowledged messages in one transaction (one fsync for a whole confirmed
     * batch); unknown numbers are skipped.
     *
     * @return how many entries were removed
     */
    public int acknowledgeAll(Collection<Long> outboxSeqs) throws StoreException {
        Objects.requireNonNull(outboxSeqs, "outboxSeqs must not be null");
        List<Long> seqs = List.copyOf(outboxSeqs);
        if (seqs.isEmpty()) {
            return 0;
        }
        return db.inLazyTransaction("acknowledge " + seqs.size() + " outbox entries", c -> {
            int removed = 0;
            for (long seq : seqs) {
                removed += OutboxTable.delete(c, seq) ? 1 : 0;
            }
            return removed;
        });
    }

    public long outboxSize() throws StoreException {
        return db.read("count the outbox", OutboxTable::count);
    }

    /**
     * Forgets commands that became terminal before {@code olderThan} (store clock); never unfinished
     * ones, never outbox entries, and never the latest claim (which keeps {@link Claim.New#seq()}
     * growing). A forgotten id would run again if redelivered, so {@code olderThan} must lie
     * further back than any redelivery can come.
     *
     * @return how many records were removed
     */
    public int prune(Instant olderThan) throws StoreException {
        Objects.requireNonNull(olderThan, "olderThan must not be null");
        return db.inTransaction("prune finished commands", c -> CommandTable.deleteFinishedBefore(c, olderThan.toEpochMilli()));
    }

    /** The database file. */
    public Path file() {
        return db.file();
    }

    /** Idempotent. Waits for an operation in progress; later calls fail with {@code CLOSED}. */
    @Override
    public void close() {
        db.close();
    }

    private static void requireId(String commandId) {
        Objects.requireNonNull(commandId, "commandId must not be null");
        if (commandId.isBlank() || commandId.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("commandId must be 1 to " + MAX_ID_LENGTH + " characters, not blank");
        }
    }
}
