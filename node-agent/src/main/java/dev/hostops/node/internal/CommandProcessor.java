package dev.hostops.node.internal;

import dev.hostops.broker.InboundMessage;
import dev.hostops.contracts.internal.Failures;
import dev.hostops.contracts.CommandLine;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.audit.AuditSink;
import dev.hostops.contracts.codec.MessageFormatException;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.contracts.message.Cancel;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.Result;
import dev.hostops.node.exec.ProcessRunner;
import dev.hostops.node.exec.RunSpec;
import dev.hostops.node.exec.RunningCommand;
import dev.hostops.node.exec.SpawnException;
import dev.hostops.node.metrics.NodeMetrics;
import dev.hostops.node.policy.CommandRequest;
import dev.hostops.node.policy.Evaluation;
import dev.hostops.node.policy.PolicyEngine;
import dev.hostops.node.policy.Verdict;
import dev.hostops.node.store.Claim;
import dev.hostops.node.store.CommandRecord;
import dev.hostops.node.store.NodeStore;
import dev.hostops.node.store.OutboxEntry;
import dev.hostops.node.store.StoreException;
import dev.hostops.node.trust.MessageTrust;
import dev.hostops.node.trust.Refusal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a command on this node, from the broker message to the durable result:
 *
 * <ol>
 *   <li>{@link #onCommand}: decode; a message that cannot be a command is answered REJECTED (when
 *       its id can be read) or dropped and logged. The id is claimed in the durable store before
 *       the message is acknowledged: a repeat delivery never runs again; its stored result is
 *       published again. Claims of a burst share group commits.</li>
 *   <li>prepare, on one thread so arrival order is kept: expiry, command-string splitting, policy;
 *       an ASK waits for a decision without holding an execution slot.</li>
 *   <li>run, through the {@link ExecutionGate}: expiry and cancellation checked once more, the
 *       store marks it RUNNING before the process starts (so a crash turns it LOST, never re-run),
 *       output streamed, result completed and enqueued in the outbox in one transaction.</li>
 * </ol>
 * A command that finds the agent idle (nothing being prepared or waiting, a slot free, the
 * policy allowing it) takes a short way instead ({@link #tryStartAtOnce}): claimed and marked
 * RUNNING in one commit, then spawned. The outcome and the order are those of the usual way.
 */
public final class CommandProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);
    private static final int LOG_PUBLISHES_IN_FLIGHT = 64;
    private static final int REMEMBERED_EARLY_CANCELS = 10_000;
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
    /** How long a command runs before its pid is recorded for a possible LOST report ({@link #recordPid}). */
    static final Duration RECORD_PID_AFTER = Duration.ofMillis(50);
    /** Commands that may wait for the preparer at once ({@link #toPreparer}). */
    static final int MAX_PREPARING = 1024;
    private static final Executor RECORD_PID_LATER =
            CompletableFuture.delayedExecutor(RECORD_PID_AFTER.toMillis(), TimeUnit.MILLISECONDS);

    private final String node;
    private final NodeStore store;
    /** Replaced when the policy file is edited ({@link #usePolicy}); each command is judged by the one in force then. */
    private volatile PolicyEngine policy;
    private final ProcessRunner runner;
    private final NodePublisher publisher;
    private final OutboxPublisher outbox;
    private final ExecutionGate gate;
    private final ExecutorService preparer;
    private final Approvals approvals = new Approvals();
    private final NodeMetrics metrics;
    private final Duration defaultTimeout;
    private final Duration maxTimeout;
    private final Map<String, RunningCommand> running = new ConcurrentHashMap<>();
    private final Map<String, String> cancelled = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED_EARLY_CANCELS;
        }
    });
    private final Map<String, String> cancelReasons = new ConcurrentHashMap<>();
    /** Commands spawned whose result is not yet stored and audited ({@link #awaitIdle}). */
    private final AtomicInteger unsettledRuns = new AtomicInteger();
    /** Set by {@link #stop}: nothing is started from then on. */
    private volatile String stopping;
    private volatile MessageTrust trust;
    private final NodeAudit audit;
    private final Backlog backlog;
    private final DurableWrites writes;
    /** Room for commands handed to the preparer and not yet through it ({@link #toPreparer}). */
    private final Semaphore preparerRoom = new Semaphore(MAX_PREPARING);

    /**
     * @param queueInMemory prepared commands that may wait in memory for a slot; more wait in the
     *                      store ({@link Backlog})
     * @param audit         where every decision is written
     */
    public CommandProcessor(String node, NodeStore store, PolicyEngine policy, ProcessRunner runner,
                            NodePublisher publisher, OutboxPublisher outbox, ExecutionGate gate, int queueInMemory,
                            ExecutorService preparer, NodeMetrics metrics, Duration defaultTimeout,
                            Duration maxTimeout, AuditSink audit) {
        this.audit = new NodeAudit(audit, node);
        this.node = node;
        this.store = store;
        this.policy = policy;
        this.runner = runner;
        this.publisher = publisher;
        this.outbox = outbox;
        this.gate = gate;
        this.preparer = preparer;
        this.metrics = metrics;
        this.defaultTimeout = defaultTimeout;
        this.maxTimeout = maxTimeout;
        this.trust = trustFor(policy);
        this.writes = new DurableWrites(store, metrics);
        this.backlog = new Backlog(store, queueInMemory, this::waitingCount, preparer,
                q -> prepareStored(q.commandId(), q.execJson()));
    }

    /**
     * Judges every command from now on with {@code engine}: its rules, its approval timeout and its
     * signature settings. A command judged by the one before is judged again when it starts
     * ({@link #stillAllowed}).
     */
    public void usePolicy(PolicyEngine engine) {
        trust = trustFor(engine);
        policy = engine;
    }

    private MessageTrust trustFor(PolicyEngine engine) {
        return new MessageTrust(engine.policy(), id -> store.find(id).map(CommandRecord::execJson), publisher.codec().mapper());
    }

    public int runningCount() {
        return running.size();
    }

    public int pendingApprovals() {
        return approvals.size();
    }

    /** Prepared commands waiting in memory: for an execution slot or for an approval. */
    public int waitingCount() {
        return gate.waiting() + approvals.size();
    }

    // ---------------------------------------------------------------- intake

    /**
     * Handler of the node's cmd topic. Returns the stage after which the message may be
     * acknowledged: once the command id is durably claimed (or the message answered).
     *
     * <p>The claim is not waited for here: it joins the store's next group commit, so a burst of
     * commands shares fsyncs instead of taking one each on this (the transport's only) thread. What
     * follows the claim runs on the preparer thread, in arrival order, each task waiting for its
     * own claim: the order commands were published is the order they are prepared and queued.
     */
    public CompletionStage<?> onCommand(InboundMessage message) throws Exception {
        Optional<Refusal> refusal = trust.checkCommand(message.payload());
        if (refusal.isPresent()) {
            return refuse(refusal.get());
        }
        Exec exec;
        try {
            exec = publisher.codec().decode(message.payload(), Exec.class);
        } catch (MessageFormatException e) {
            return rejectUnreadable(message.payload(), e);
        }
        if (!exec.node().equals(node)) {
            return answerOnce(exec.id(), message.payload(), Results.notRun(exec.id(), node, CommandStatus.REJECTED,
                    ErrorCode.WRONG_NODE, "The command is addressed to node '" + exec.node() + "', this is '" + node + "'."));
        }
        // One receivedAt for every attempt at this message's claim: it is how the store knows a
        // claim tried again after a failure that may have committed (NodeStore#claimAgainAsync).
        Instant receivedAt = Instant.now();
        Optional<CompletionStage<?>> started = tryStartAtOnce(exec, message.payload(), receivedAt);
        return started.isPresent() ? started.get() : theUsualWay(exec, message.payload(), receivedAt, false);
    }

    /** Claims the command (however many attempts that takes) and hands it to the preparer. */
    private CompletionStage<?> theUsualWay(Exec exec, byte[] payload, Instant receivedAt, boolean triedBefore)
            throws InterruptedException {
        CompletableFuture<Claim> claimed = writes.claim(exec.id(), payload, receivedAt, triedBefore);
        try {
            toPreparer(exec, payload, claimed);
        } catch (IllegalStateException stopping) {
            // The claim may still commit: then the next run recovers the command from the store,
            // and the message may be acknowledged; if it does not, the broker delivers it again.
            LOG.info("{}", stopping.getMessage());
        }
        return claimed;
    }

    /**
     * The short way for a command that can start now: nothing is ahead of it (no command being
     * prepared, none waiting for a slot, none left in the store's backlog), a slot is free, and
     * the policy allows it as it stands. Its claim then records it RUNNING in the same commit
     * ({@link NodeStore#claimStarting}), and it is spawned once that returns: one commit and two
     * thread hand-offs fewer than the way through the preparer, which is most of an idle agent's
     * latency. Everything else (a repeat, a command expired or cancelled early, shell syntax, a
     * policy that denies or asks, a full gate) takes the usual way, which decides and reports it
     * as before; so the short way changes no outcome and no order.
     *
     * @return the stage after which the message may be acknowledged; empty for the usual way
     */
    private Optional<CompletionStage<?>> tryStartAtOnce(Exec exec, byte[] payload, Instant receivedAt) throws InterruptedException {
        boolean preparing = preparerRoom.availablePermits() < MAX_PREPARING;
        if (stopping != null || preparing || backlog.holdsCommands() || cancelled.containsKey(exec.id()) || expired(exec)
                || !gate.tryReserve()) { // reserved before the policy runs: a full gate costs no evaluation
            return Optional.empty();
        }
        List<String> argv;
        Evaluation evaluation;
        try {
            argv = argvOf(exec);
            evaluation = argv.isEmpty() ? null : policy.evaluate(requestOf(exec, argv));
        } catch (RuntimeException e) {
            gate.cancelReservation();
            return Optional.empty(); // shell syntax, a policy failure: the usual way reports it
        }
        if (evaluation == null || evaluation.verdict() != Verdict.ALLOW) {
            gate.cancelReservation();
            return Optional.empty();
        }
        Instant now = Instant.now();
        Claim claim;
        try {
            claim = store.claimStarting(exec.id(), payload, receivedAt, now);
        } catch (Exception e) {
            gate.cancelReservation();
            writes.failedElsewhere(exec.id(), e);
            // The usual way's claim tries again until the store can write; if this commit
            // happened after all, the store hands the command back, DELIVERED, to run.
            return Optional.of(theUsualWay(exec, payload, receivedAt, true));
        }
        if (claim instanceof Claim.Seen) {
            gate.cancelReservation();
            toPreparer(exec, payload, CompletableFuture.completedFuture(claim));
        } else {
            gate.launchReserved(() -> startClaimed(exec, argv, evaluation, now));
        }
        return Optional.of(DONE);
    }

    /**
     * Hands a claimed command to the preparer; waits while {@link #MAX_PREPARING} are ahead of it.
     * The wait is what bounds a burst in memory: a broker may send thousands of messages before
     * any is acknowledged (the MQTT client offers a Receive Maximum of 65,535), and claims commit
     * faster than the preparer takes them, so without it the preparer's queue grows without limit.
     * With it, the transport's handler thread waits, and the messages stay in the client.
     */
    private void toPreparer(Exec exec, byte[] payload, CompletableFuture<Claim> claimed) throws InterruptedException {
        while (!preparerRoom.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            if (preparer.isShutdown()) {
                throw new IllegalStateException("the node is stopping; command " + exec.id() + " is not taken");
            }
        }
        try {
            preparer.execute(() -> {
                try {
                    claimed(exec, payload, claimed);
                } finally {
                    preparerRoom.release();
                }
            });
        } catch (RuntimeException e) {
            preparerRoom.release();
            throw e;
        }
    }

    /** On the preparer thread, in arrival order: a new command is prepared; a repeat is answered. */
    private void claimed(Exec exec, byte[] payload, CompletableFuture<Claim> claimed) {
        Claim claim;
        try {
            claim = claimed.get(); // interruptible: a claim the closed store never made must not hold this thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the node is stopping; the claim, if made, is recovered on start
            return;
        } catch (ExecutionException e) {
            // Not the store's failure (DurableWrites retries those): a bug. Nothing ran.
            LOG.error("command {} could not be claimed", exec.id(), e.getCause());
            return;
        }
        try {
            if (claim instanceof Claim.Seen seen) {
                // A signed exec may have raced with the first one of its id past the trust check;
                // now that the first is stored, different content under its id is a replay.
                Optional<Refusal> replay = trust.checkCommand(payload);
                if (replay.isPresent()) {
                    logRefused("cmd", replay.get());
                    audit.refused(replay.get().id(), replay.get().error().code());
                    return;
                }
                repeat(seen.record());
                return;
            }
        } catch (Exception e) {
            LOG.error("command {} delivered again; could not answer it: {}", exec.id(), e.toString());
            return;
        }
        audit.received(exec);
        publisher.state(exec.id(), CommandStatus.DELIVERED, null);
        if (backlog.admit(((Claim.New) claim).seq())) {
            prepare(exec);
        }
    }

    /** Re-asks a command that was awaiting approval when the agent stopped. */
    public void resume(CommandRecord record) {
        preparer.execute(() -> prepareStored(record.commandId(), record.execJson()));
    }

    /** At start: the commands claimed but never started before a restart, read from the store in pages. */
    public void resumeWaiting() {
        backlog.resumeFromStore();
    }

    /** A command read back from the store (on the preparer thread). */
    private void prepareStored(String id, byte[] execJson) {
        Exec exec;
        try {
            exec = publisher.codec().decode(execJson, Exec.class);
        } catch (MessageFormatException e) {
            finish(Results.notRun(id, node, CommandStatus.REJECTED, e.code(), e.getMessage()));
            return;
        }
        prepare(exec);
    }

    private CompletionStage<?> rejectUnreadable(byte[] payload, MessageFormatException e) {
        if (e.id().isEmpty() || (e.type().isPresent() && !e.type().get().equals("exec"))) {
            LOG.warn("dropped a message on the cmd topic without a usable id: {} ({})", e.getMessage(), e.code());
            metrics.dropped(e.code().name());
            return DONE;
        }
        String id = e.id().get();
        return answerOnce(id, payload, Results.notRun(id, node, CommandStatus.REJECTED, e.code(), e.getMessage()));
    }

    /**
     * Rejects a command that never gets a real run, unless the id was already seen (then it
     * repeats): its claim and its answer are one write, tried until the store takes it.
     *
     * @return the stage after which the message may be acknowledged
     */
    private CompletionStage<?> answerOnce(String id, byte[] payload, Result result) {
        OutboxEntry answer = publicationOf(result);
        return writes.claimAnswered(id, payload, Instant.now(), result, answer).thenAccept(claim -> {
            if (claim instanceof Claim.Seen seen) {
                repeatQuietly(seen.record());
                return;
            }
            metrics.finished(result.status());
            audit.finished(result).whenComplete((ok, ignored) -> outbox.kick());
        });
    }

    /**
     * A message the trust boundary refused (docs/SIGNING.md): never run, its id never claimed, so no
     * stored record changes; a refused exec is answered with a REJECTED result, a control message is dropped.
     *
     * @return the stage after which the message may be acknowledged: once the answer is queued
     */
    private CompletionStage<?> refuse(Refusal refusal) {
        logRefused("cmd", refusal);
        audit.refused(refusal.id(), refusal.error().code());
        if (refusal.id() == null || !dev.hostops.contracts.CommandId.isValid(refusal.id())) {
            return DONE;
        }
        Result result = Result.notRun(refusal.id(), node, CommandStatus.REJECTED, refusal.error(), null);
        OutboxEntry answer = publicationOf(result);
        return writes.enqueue(answer, "the answer to refused command " + refusal.id()).thenRun(outbox::kick);
    }

    private void logRefused(String topic, Refusal refusal) {
        LOG.warn("refused a message on the {} topic (id {}): {} ({})", topic, refusal.id(), refusal.error().message(),
                refusal.error().code());
        metrics.dropped(refusal.error().code());
    }

    private void repeatQuietly(CommandRecord record) {
        try {
            repeat(record);
        } catch (Exception e) {
            LOG.error("command {} delivered again; could not answer it: {}", record.commandId(), e.toString());
        }
    }

    private void repeat(CommandRecord record) throws Exception {
        metrics.duplicate();
        if (record.resultJson() != null) {
            LOG.info("command {} was already done ({}); publishing its result again", record.commandId(), record.status());
            store.enqueue(new OutboxEntry(Topics.result(node), record.resultJson(), false));
            outbox.kick();
        } else {
            LOG.info("command {} delivered again while {}; ignored", record.commandId(), record.status());
        }
    }

    // ---------------------------------------------------------------- control

    /** Handler of the node's control topic: cancels and approval decisions. */
    public void onControl(InboundMessage message) {
        Optional<Refusal> refusal = trust.checkControl(message.payload());
        if (refusal.isPresent()) {
            logRefused("control", refusal.get());
            return;
        }
        Message m;
        try {
            m = publisher.codec().decode(message.payload());
        } catch (MessageFormatException e) {
            LOG.warn("dropped a control message: {} ({})", e.getMessage(), e.code());
            metrics.dropped(e.code().name());
            return;
        }
        if (!m.node().equals(node)) {
            LOG.warn("dropped a {} for node {} on node {}'s control topic", m.type(), m.node(), node);
            return;
        }
        if (m instanceof Cancel c) {
            cancel(c);
        } else if (m instanceof ApprovalDecision d) {
            if (!approvals.decide(d)) {
                LOG.info("approval decision for {} ignored: nothing waits for it", d.id());
            }
        } else {
            LOG.warn("dropped a {} message on the control topic", m.type());
        }
    }

    private void cancel(Cancel c) {
        String reason = c.reason() == null ? "cancel requested" : c.reason();
        RunningCommand r = running.get(c.id());
        if (r != null) {
            cancelReasons.put(c.id(), reason);
            r.cancel(reason);
            return;
        }
        // Queued, awaiting approval, or not arrived yet: remembered, honoured before it starts.
        cancelled.put(c.id(), reason);
        approvals.cancel(c.id(), reason);
    }

    // ---------------------------------------------------------------- prepare

    private void prepare(Exec exec) {
        try {
            if (notBeforeStart(exec)) {
                return;
            }
            List<String> argv;
            try {
                argv = argvOf(exec);
            } catch (CommandLine.ShellSyntaxException e) {
                finish(Results.notRun(exec.id(), node, CommandStatus.REJECTED, ErrorCode.SHELL_SYNTAX, e.getMessage()));
                return;
            }
            if (argv.isEmpty()) {
                finish(Results.notRun(exec.id(), node, CommandStatus.REJECTED, ErrorCode.EMPTY_ARGV, "The command string has no program."));
                return;
            }
            CommandRequest request = requestOf(exec, argv);
            PolicyEngine judge = policy;
            Evaluation evaluation = judge.evaluate(request);
            metrics.policyDecision(evaluation.verdict().name());
            audit.verdict(exec.id(), evaluation);
            switch (evaluation.verdict()) {
                case DENY -> finish(Results.rejected(exec.id(), node, evaluation.error(), evaluation.decision(),
                        evaluation.resolvedExecutable()));
                case ALLOW -> gate.submit(() -> run(exec, argv, evaluation, judge));
                case ASK -> ask(exec, argv, request, evaluation, judge);
            }
        } catch (Exception e) {
            LOG.error("command {} failed before it ran", exec.id(), e);
            finish(Results.notRun(exec.id(), node, CommandStatus.REJECTED, ErrorCode.INTERNAL,
                    "The node failed before running the command: " + e));
        }
    }

    /** True (and the command finished) when it expired or was cancelled before starting. */
    private boolean notBeforeStart(Exec exec) {
        String reason = cancelled.remove(exec.id());
        if (reason != null) {
            finish(Results.notRun(exec.id(), node, CommandStatus.CANCELLED, ErrorCode.CANCELLED,
                    "The command was cancelled before it started: " + reason));
            return true;
        }
        if (expired(exec)) {
            finish(Results.notRun(exec.id(), node, CommandStatus.EXPIRED, ErrorCode.EXPIRED,
                    "The command's delivery deadline " + exec.expiresAt() + " passed before it could start; it never ran."));
            return true;
        }
        return false;
    }

    private static boolean expired(Exec exec) {
        return exec.expiresAt() != null && !Instant.now().isBefore(exec.expiresAt());
    }

    /** The command's argv, or its command string split by the documented rules (shell syntax throws). */
    private static List<String> argvOf(Exec exec) {
        return exec.argv() != null ? exec.argv() : CommandLine.split(exec.command());
    }

    private static CommandRequest requestOf(Exec exec, List<String> argv) {
        return new CommandRequest(argv, exec.workdir(), exec.env(), exec.security(), exec.ask());
    }

    /** @param judge the policy that asked: it decides what an approval or its absence leads to */
    private void ask(Exec exec, List<String> argv, CommandRequest request, Evaluation asked, PolicyEngine judge) throws Exception {
        store.markAwaitingApproval(exec.id());
        publisher.state(exec.id(), CommandStatus.AWAITING_APPROVAL, asked.askReason());
        Duration timeout = judge.policy().approvalTimeout();
        Instant deadline = Instant.now().plus(timeout);
        audit.approvalAsked(exec.id(), timeout);
        approvals.await(exec.id(), timeout).thenAcceptAsync(outcome -> {
            try {
                decided(exec, argv, request, asked, outcome, judge);
            } catch (Exception e) {
                LOG.error("approval of {} failed", exec.id(), e);
                finish(Results.notRun(exec.id(), node, CommandStatus.REJECTED, ErrorCode.INTERNAL,
                        "The node failed while applying the approval: " + e));
            }
        }, preparer);
        publisher.publish(Topics.Kind.APPROVAL, new ApprovalRequest(exec.id(), node, argv, asked.resolvedWorkdir(),
                asked.resolvedExecutable(), asked.askReason(), exec.requestedBy(), deadline, exec.env()));
    }

    private void decided(Exec exec, List<String> argv, CommandRequest request, Evaluation asked, Approvals.Outcome outcome,
                         PolicyEngine judge) throws Exception {
        Evaluation evaluation;
        if (outcome instanceof Approvals.Cancelled c) {
            audit.approvalDecided(exec.id(), false, "cancel", "cancelled", c.reason());
            cancelled.remove(exec.id());
            finish(Results.notRun(exec.id(), node, CommandStatus.CANCELLED, ErrorCode.CANCELLED,
                    "The command was cancelled while it waited for approval: " + c.reason()));
            return;
        } else if (outcome instanceof Approvals.Decided d) {
            ApprovalDecision decision = d.decision();
            audit.approvalDecided(exec.id(), decision.decision().allows(), decision.approver(),
                    decision.decision().name(), decision.reason());
            if (!decision.decision().allows()) {
                finish(Results.rejected(exec.id(), node, ErrorCode.APPROVAL_DENIED.withMessage("Denied by "
                                + (decision.approver() == null ? "an approver" : decision.approver())
                                + (decision.reason() == null ? "." : ": " + decision.reason())),
                        asked.decision(), asked.resolvedExecutable()));
                return;
            }
            if (decision.decision() == ApprovalDecision.Decision.ALLOW_ALWAYS) {
                judge.approveAlways(request, asked);
            }
            evaluation = judge.afterApproval(asked);
        } else {
            evaluation = judge.fallback(asked);
            audit.approvalDecided(exec.id(), evaluation.verdict() == Verdict.ALLOW, "fallback", "TIMEOUT", null);
            if (evaluation.verdict() != Verdict.ALLOW) {
                finish(Results.rejected(exec.id(), node, ErrorCode.APPROVAL_TIMEOUT.withMessage(
                                "No approver answered within " + Results.human(judge.policy().approvalTimeout())
                                        + " and askFallback denies."),
                        evaluation.decision(), asked.resolvedExecutable()));
                return;
            }
        }
        Evaluation approved = evaluation;
        gate.submit(() -> run(exec, argv, approved, judge));
    }

    // ---------------------------------------------------------------- run

    /** @param judge the policy that judged it; when another is in force by now, that one judges it again first */
    private CompletableFuture<?> run(Exec exec, List<String> argv, Evaluation evaluation, PolicyEngine judge) {
        String id = exec.id();
        Instant startedAt = Instant.now();
        if (stopping != null) {
            // Left as it is in the store (claimed, not started): the next start runs it.
            LOG.info("command {} not started: {}; the next start runs it", id, stopping);
            return CompletableFuture.completedFuture(null);
        }
        try {
            if (notBeforeStart(exec) || !stillAllowed(exec, argv, evaluation, judge)) {
                return CompletableFuture.completedFuture(null);
            }
            store.markStarting(id, startedAt);   // before the spawn: a crash from here on is LOST, never a re-run
        } catch (Exception e) {
            if (e instanceof StoreException se && se.code() == StoreException.Code.ILLEGAL_TRANSITION) {
                // Started or finished already, by another way to the same id: that way reports it;
                // a REJECTED result here could stand for a process that runs.
                LOG.error("command {} was prepared twice; the second start is dropped: {}", id, e.getMessage());
                return CompletableFuture.completedFuture(null);
            }
            LOG.error("command {} could not be started", id, e);
            finish(Results.notRun(id, node, CommandStatus.REJECTED, ErrorCode.INTERNAL,
                    "The node failed before running the command: " + e));
            return CompletableFuture.completedFuture(null);
        }
        return start(exec, argv, evaluation, startedAt, () -> { });
    }

    /**
     * For a command judged by a policy that is no longer in force (the file was edited while it
     * waited for a slot or an approval): the policy in force now judges it again. A denial stands
     * (deny rules are never overridden, not even by an approval given under the old policy); a
     * command that now needs an approval it never had is asked for one; anything else runs as it
     * was judged. False when it does not run now (it was finished or asked).
     */
    private boolean stillAllowed(Exec exec, List<String> argv, Evaluation judged, PolicyEngine judge) throws Exception {
        PolicyEngine now = policy;
        if (now == judge) {
            return true;
        }
        CommandRequest request = requestOf(exec, argv);
        Evaluation again = now.evaluate(request);
        if (again.verdict() == Verdict.DENY) {
            audit.verdict(exec.id(), again);
            finish(Results.rejected(exec.id(), node, again.error(), again.decision(), again.resolvedExecutable()));
            return false;
        }
        if (again.verdict() == Verdict.ASK && judged.askReason() == null) {
            audit.verdict(exec.id(), again);
            ask(exec, argv, request, again, now);
            return false;
        }
        return true;
    }

    /**
     * On a worker, for a command the short way claimed RUNNING ({@link #tryStartAtOnce}): the
     * start, and right after the spawn what the usual way records on its way to the slot, in the
     * same order (so the process does not wait for those lines and messages).
     */
    private CompletableFuture<?> startClaimed(Exec exec, List<String> argv, Evaluation evaluation, Instant startedAt) {
        return start(exec, argv, evaluation, startedAt, () -> {
            audit.received(exec);
            publisher.state(exec.id(), CommandStatus.DELIVERED, null);
            metrics.policyDecision(evaluation.verdict().name());
            audit.verdict(exec.id(), evaluation);
        });
    }

    /**
     * Spawns a command the store records as RUNNING, and finishes it when it ends. The RUNNING
     * state is published once the process exists; {@code beforeRunning} runs just before that
     * (or before the REJECTED result, when the spawn fails).
     */
    private CompletableFuture<?> start(Exec exec, List<String> argv, Evaluation evaluation, Instant startedAt,
                                       Runnable beforeRunning) {
        String id = exec.id();
        try {
            Duration timeout = timeoutOf(exec);
            List<String> resolvedArgv = new java.util.ArrayList<>(argv);
            resolvedArgv.set(0, evaluation.resolvedExecutable());
            Path workdir = evaluation.resolvedWorkdir() == null ? null : Path.of(evaluation.resolvedWorkdir());
            RunningCommand command;
            try {
                command = runner.start(new RunSpec(id, node, resolvedArgv, workdir, exec.env(), timeout),
                        new LogPublisher(publisher, metrics, LOG_PUBLISHES_IN_FLIGHT));
            } catch (SpawnException e) {
                beforeRunning.run();
                finish(Results.rejected(id, node, e.code().withMessage(e.getMessage()),
                        evaluation.decision(), evaluation.resolvedExecutable()));
                return CompletableFuture.completedFuture(null);
            }
            unsettledRuns.incrementAndGet();
            running.put(id, command);
            beforeRunning.run();
            publisher.state(id, CommandStatus.RUNNING, null);
            audit.started(id, resolvedArgv, evaluation.resolvedWorkdir(), command.pid());
            RECORD_PID_LATER.execute(() -> recordPid(id, startedAt, command.pid()));
            // A cancel, or a stop, that raced with the start is honoured now.
            String reason = cancelled.remove(id);
            if (reason == null) {
                reason = stopping;
            }
            if (reason != null) {
                cancelReasons.putIfAbsent(id, reason);
                command.cancel(reason);
            }
            return command.completion().handle((outcome, error) -> {
                running.remove(id);
                String cancelReason = cancelReasons.remove(id);
                CompletableFuture<Void> settled;
                if (error != null) {
                    LOG.error("command {} failed while running", id, error);
                    settled = finish(Results.notRun(id, node, CommandStatus.FAILED, ErrorCode.INTERNAL,
                            "The node lost track of the process: " + error));
                } else {
                    metrics.executed(Duration.ofMillis(outcome.durationMs()));
                    settled = finish(Results.ran(id, node, outcome, evaluation.resolvedExecutable(), evaluation.decision(),
                            timeout, cancelReason));
                }
                settled.whenComplete((ok, ignored) -> unsettledRuns.decrementAndGet());
                return null;
            });
        } catch (Exception e) {
            LOG.error("command {} could not be started", id, e);
            running.remove(id);
            finish(Results.notRun(id, node, CommandStatus.REJECTED, ErrorCode.INTERNAL,
                    "The node failed before running the command: " + e));
            return CompletableFuture.completedFuture(null);
        }
    }

    /**
     * Records the pid of a command still running {@link #RECORD_PID_AFTER} after its start. The pid
     * only improves a LOST report (the command is already RUNNING in the store), so a failure here
     * must not turn a running process into a "never ran" result; and a short command, the
     * common case, is done before then and costs no store write for it.
     */
    private void recordPid(String id, Instant startedAt, long pid) {
        if (!running.containsKey(id)) {
            return;
        }
        store.markRunningAsync(id, startedAt, pid).whenComplete((ok, e) -> {
            if (e != null && running.containsKey(id)) { // a command that just ended has no pid to keep
                LOG.warn("could not record pid {} of running command {}: {}", pid, id, Failures.unwrap(e).toString());
            }
        });
    }

    private Duration timeoutOf(Exec exec) {
        Duration asked = exec.timeoutMs() == null ? defaultTimeout : Duration.ofMillis(exec.timeoutMs());
        return asked.compareTo(maxTimeout) > 0 ? maxTimeout : asked;
    }

    // ---------------------------------------------------------------- finish

    /**
     * Stores the result and enqueues its publication, in one transaction, while the audit log syncs
     * its {@code command.finished} line; once both are on disk, wakes the outbox. While the store
     * cannot write, the result waits in memory and is tried again ({@link DurableWrites}); it is
     * published once it is stored, never before, so a restart cannot contradict a published result.
     *
     * @return completes once the result is stored (or could not be: a bug, logged) and audited, and
     *         the outbox was woken; never while the store cannot write
     */
    CompletableFuture<Void> finish(Result result) {
        CompletableFuture<Void> settled = new CompletableFuture<>();
        try {
            OutboxEntry publication = publicationOf(result);
            // Two files, two fsyncs at once instead of one after the other (NodeAudit says what a
            // crash between them leaves).
            CompletableFuture<Void> audited = audit.finished(result);
            writes.complete(result, publication).whenComplete((stored, failure) -> {
                if (failure != null) {
                    // Not a store outage (those are retried): a bug; the restart reports the command.
                    LOG.error("could not store the result of {} ({}): {}", result.id(), result.status(), failure.toString());
                } else if (stored) {
                    metrics.finished(result.status());
                }
                audited.whenComplete((ok, ignored) -> {
                    outbox.kick();
                    settled.complete(null);
                });
            });
        } catch (RuntimeException e) {
            LOG.error("could not encode the result of {} ({}): {}", result.id(), result.status(), e.toString());
            settled.complete(null);
        } finally {
            backlog.drained();
        }
        return settled;
    }

    /** The outbox entry that publishes a result on this node's result topic. */
    private OutboxEntry publicationOf(Result result) {
        return new OutboxEntry(Topics.result(node), publisher.codec().encode(result), false);
    }


    /** Reports a command that was running when the agent died: LOST, never run again. */
    public void finishLost(CommandRecord record) {
        finish(Results.lost(record.commandId(), node, record.startedAt(), record.pid()));
    }

    /**
     * Waits until every command that was spawned has ended and its result is stored in the outbox
     * (and audited), or the limit passes. Commands that wait for a slot or an approval are not
     * waited for: they stay in the store and the next start takes them up.
     *
     * @return the number of spawned commands whose result is not stored yet (0: all settled)
     */
    public int awaitIdle(Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (unsettledRuns.get() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return unsettledRuns.get();
    }

    /**
     * For the agent's stop: from now on nothing is started (a command that would start stays
     * claimed in the store, and the next start runs it), and every running command is cancelled;
     * its result says {@code reason}. Wait for the results with {@link #awaitIdle}.
     */
    public void stop(String reason) {
        stopping = reason;
        running.forEach((id, r) -> {
            cancelReasons.putIfAbsent(id, reason); // a cancel already under way keeps its own reason
            r.cancel(reason);
        });
    }
}
