package dev.hostops.dispatcher.fanout;

import dev.hostops.contracts.internal.Failures;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorInfo;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.dispatcher.command.CommandService;
import dev.hostops.dispatcher.error.ApiError;
import dev.hostops.dispatcher.error.DispatcherException;
import dev.hostops.dispatcher.events.Event;
import dev.hostops.dispatcher.events.EventBus;
import dev.hostops.dispatcher.events.EventKind;
import dev.hostops.dispatcher.ledger.CommandView;
import dev.hostops.dispatcher.ledger.InvocationStatus;
import dev.hostops.dispatcher.ledger.Ledger;
import dev.hostops.dispatcher.ledger.NodeView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command on many nodes, like AWS SSM Run Command: at most {@code maxConcurrency}
 * invocations not yet terminal at once; once more than {@code maxErrors} invocations ended other
 * than SUCCEEDED, nothing new is dispatched and the rest are reported {@code NOT_STARTED}
 * (they never become commands, so nothing can run them later).
 *
 * <p>Each invocation is an ordinary command with id {@code <requestId>.<node>} and the request id
 * in the ledger, so it is correlated, expired and lost like any other. The plan of what is still
 * to dispatch is kept in a file per request ({@link FanOutPlans}) until nothing is left to
 * dispatch: a restarted dispatcher reads the dispatched invocations back from the ledger and goes
 * on with the pending ones, within the same limits.
 */
public final class FanOutService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FanOutService.class);
    /** Leaves room for {@code .<node id>} in the 128-character id. */
    public static final int MAX_REQUEST_ID_LENGTH = 63;
    /** How many finished requests keep their full plan in memory. */
    public static final int MAX_TRACKED_RUNS = 1_000;

    private final Ledger ledger;
    private final CommandService commands;
    private final EventBus events;
    private final Map<String, FanOutRun> runs = new ConcurrentHashMap<>();
    /** command id to its run, for dispatched invocations. */
    private final Map<String, FanOutRun> byCommand = new ConcurrentHashMap<>();
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hostops-fanout");
        t.setDaemon(true);
        return t;
    });
    private final AutoCloseable subscription;
    private final FanOutPlans plans;

    /** Plans in memory only: a restart forgets what was still pending. */
    public FanOutService(Ledger ledger, CommandService commands, EventBus events) {
        this(ledger, commands, events, null, null);
    }

    /**
     * Plans kept in {@code plansDir}; the unfinished ones found there are resumed (in the
     * background, on the fan-out thread).
     */
    public FanOutService(Ledger ledger, CommandService commands, EventBus events, Path plansDir, MessageCodec codec) {
        this.ledger = ledger;
        this.commands = commands;
        this.events = events;
        this.plans = plansDir == null ? null : new FanOutPlans(plansDir, codec);
        this.subscription = events.subscribe(e -> e.kind() == EventKind.RESULT && byCommand.containsKey(e.id()), this::onEnded);
        if (plans != null) {
            dispatcher.execute(this::resumeAll);
        }
    }

    private void resumeAll() {
        for (FanOutPlans.Plan p : plans.all()) {
            try {
                resume(p);
            } catch (RuntimeException e) {
                LOG.warn("cannot resume fan-out request {} yet: {}", p.requestId(), e.toString());
            }
        }
    }

    /**
     * Rebuilds a run from its plan and the ledger. Invocations still open are registered before
     * their status is read again, so an end that arrives meanwhile is counted exactly once.
     */
    private void resume(FanOutPlans.Plan p) {
        FanOutRequest req = new FanOutRequest(p.template(), p.selector() == null ? p.nodes() : List.of(), p.selector(),
                p.maxConcurrency(), p.maxErrors());
        FanOutRun run = new FanOutRun(p.requestId(), req, p.nodes(), p.source());
        runs.put(p.requestId(), run);
        List<CommandView> known = ledger.requestCommands(p.requestId());
        for (CommandView c : known) {
            if (!c.status().isTerminal()) {
                byCommand.put(c.id(), run);
            }
        }
        for (CommandView c : known) {
            CommandStatus now = c.status();
            if (!now.isTerminal()) {
                CommandStatus reread = ledger.command(c.id()).map(CommandView::status).orElse(now);
                if (reread.isTerminal() && byCommand.remove(c.id()) != null) {
                    now = reread;
                }
            }
            run.restore(c.node(), now);
        }
        LOG.info("fan-out {}: resumed after a restart ({} of {} dispatched before)", p.requestId(), known.size(), p.nodes().size());
        dispatchAvailable(run).join();
        forgetPlanIfOver(run);
    }

    private void forgetPlanIfOver(FanOutRun run) {
        if (plans != null && run.dispatchOver()) {
            plans.delete(run.requestId);
        }
    }

    /**
     * Resolves the targets, dispatches the first wave (blocking until those are recorded) and
     * returns the request's view ({@code details} as in {@link #view(String, boolean)}).
     *
     * <p>The same request sent again with its id by the same token (a client that lost the answer)
     * starts nothing: it answers the request's view. "The same" is {@link FanOutRequest#isRetriedBy}; for a request
     * this dispatcher no longer tracks, the command and every dispatched node are compared with the
     * ledger. Anything else under a used id, or the id of a single command, is ID_CONFLICT.
     *
     * @param expiresIn the relative deadline the body gave, or null (see {@link CommandService#expiresAt})
     * @param mayActOn  the nodes the requester may act on (its token's nodes): a selector picks among
     *                  those only; explicit targets outside them are the caller's to refuse first
     */
    public FanOutView start(FanOutRequest request, Duration expiresIn, String source, boolean details, Predicate<String> mayActOn) {
        String requestId = request.template().id();
        if (requestId.length() > MAX_REQUEST_ID_LENGTH) {
            throw DispatcherException.invalid("id of a request to many nodes must be at most " + MAX_REQUEST_ID_LENGTH + " characters");
        }
        FanOutRun tracked = runs.get(requestId);
        if (tracked != null) {
            return retried(tracked.source.equals(source) && tracked.request.isRetriedBy(request), requestId, details);
        }
        List<String> resolved = resolve(request);
        List<String> nodes = resolved.stream().filter(mayActOn).toList();
        List<InvocationStatus> earlier = ledger.requestStatuses(requestId); // ids only: nothing to decode
        if (!earlier.isEmpty()) {
            return retried(sameAsRecorded(request, source, earlier, nodes), requestId, details);
        }
        if (ledger.command(requestId).isPresent()) {
            throw new DispatcherException(ApiError.ID_CONFLICT, "id '" + requestId + "' is already the id of a single command; choose a new id");
        }
        if (nodes.isEmpty()) {
            throw DispatcherException.invalid(resolved.isEmpty() ? "selector matches no known node"
                    : "selector matches " + resolved.size() + " known node" + (resolved.size() == 1 ? "" : "s")
                    + ", none of which this token may act on");
        }
        // One deadline for every invocation, decided once (and no ledger read per invocation).
        Exec template = request.template().expiresAt() != null ? request.template()
                : request.template().withExpiresAt(commands.expiresAt(Instant.now(), expiresIn));
        FanOutRun run = new FanOutRun(requestId, request, template, nodes, source);
        FanOutRun first = runs.putIfAbsent(requestId, run);
        if (first != null) {
            return retried(first.source.equals(source) && first.request.isRetriedBy(request), requestId, details); // the same id at the same moment
        }
        forgetOldRuns();
        if (plans != null) {
            plans.save(new FanOutPlans.Plan(requestId, source, nodes, request.selector(), request.maxConcurrency(), request.maxErrors(), template));
        }
        dispatchAvailable(run).join(); // the first wave is recorded before it is shown
        forgetPlanIfOver(run);
        return view(requestId, details).orElseThrow();
    }

    /** The view of a request sent again, or ID_CONFLICT when what was sent differs. */
    private FanOutView retried(boolean same, String requestId, boolean details) {
        if (!same) {
            throw new DispatcherException(ApiError.ID_CONFLICT, "request id '" + requestId + "' is already used by a different request;"
                    + " choose a new id, or send exactly the same request to see it again");
        }
        return view(requestId, details).orElseThrow();
    }

    /**
     * A request no longer tracked is the same as a new one when one of its invocations was sent
     * by the same token and its recorded exec is this request's command for that node, and every
     * node it went to is a target of this one (the nodes it never dispatched to are not recorded
     * anywhere).
     */
    private boolean sameAsRecorded(FanOutRequest retry, String source, List<InvocationStatus> recorded, List<String> targets) {
        if (!targets.containsAll(recorded.stream().map(InvocationStatus::node).toList())) {
            return false;
        }
        String one = recorded.get(0).commandId();
        Exec asForTheRequest = ledger.command(one).filter(c -> source.equals(c.source())).flatMap(c -> ledger.exec(one))
                .map(stored -> stored.forNode(retry.template().id(), retry.template().node()))
                .orElse(null);
        return asForTheRequest != null && FanOutRequest.sameCommand(asForTheRequest, retry.template());
    }

    /** True when {@code id} is the id of a fan-out request this dispatcher tracks (not to be taken by a single command). */
    public boolean tracks(String id) {
        return runs.containsKey(id);
    }

    private List<String> resolve(FanOutRequest request) {
        LinkedHashSet<String> out = new LinkedHashSet<>(request.nodes());
        if (request.selector() != null) {
            for (NodeView n : ledger.nodes()) {
                if (request.selector().matches(n)) {
                    out.add(n.node());
                }
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * Dispatches every invocation the plan allows now as one wave: all are queued for the ledger
     * at once (one commit, one audit sync, then publishes pipelined), and this returns when the
     * wave is recorded and published or kept (each bounded by the publish wait); the returned
     * future completes then. An invocation that cannot be dispatched counts as failed; the
     * budget decides whether others go instead.
     */
    private CompletableFuture<Void> dispatchAvailable(FanOutRun run) {
        List<CompletableFuture<?>> wave = new ArrayList<>();
        String node;
        while ((node = run.next()) != null) {
            String id = FanOutRun.commandId(run.requestId, node);
            Exec exec = run.template.forNode(id, node);
            byCommand.put(id, run);
            String target = node;
            try {
                wave.add(commands.submitAsync(exec, run.source, run.requestId).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        notDispatched(run, id, target, failure);
                    }
                }));
            } catch (RuntimeException e) {
                notDispatched(run, id, node, e);
            }
        }
        // Each failure was handled by its own invocation above.
        return CompletableFuture.allOf(wave.toArray(CompletableFuture[]::new)).exceptionally(failure -> null);
    }

    private void notDispatched(FanOutRun run, String id, String node, Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        LOG.warn("fan-out {}: cannot dispatch to {}: {}", run.requestId, node, cause.getMessage());
        if (byCommand.remove(id) == null) {
            return;
        }
        String code = cause instanceof DispatcherException de ? de.code().name() : ApiError.INTERNAL.name();
        run.dispatchFailed(node, new ErrorInfo(code, String.valueOf(cause.getMessage())));
        ended(run, false);
    }

    /**
     * Keeps the plans of the newest {@value #MAX_TRACKED_RUNS} requests. An older request is still
     * shown from the ledger (its dispatched invocations), only without its NOT_STARTED ones.
     */
    private void forgetOldRuns() {
        if (runs.size() <= MAX_TRACKED_RUNS) {
            return;
        }
        runs.values().stream()
                .filter(r -> (r.isStopped() || !r.hasPending()) && r.active() == 0)
                .sorted(java.util.Comparator.comparingLong(r -> r.startedAt))
                .limit(runs.size() - MAX_TRACKED_RUNS)
                .forEach(r -> runs.remove(r.requestId));
    }

    private void onEnded(Event e) {
        FanOutRun run = byCommand.remove(e.id());
        if (run == null) {
            return;
        }
        ended(run, CommandStatus.SUCCEEDED.name().equals(e.status()));
    }

    /**
     * An invocation ended (or could not be dispatched): another may go in its place, within the
     * budget, and the request's state is announced (a waiting API request answers on its end).
     */
    private void ended(FanOutRun run, boolean success) {
        if (run.finished(success)) {
            stopped(run);
        }
        if (!dispatcherClosed()) {
            dispatcher.execute(() -> {
                dispatchAvailable(run);
                forgetPlanIfOver(run);
                events.publish(Event.of(EventKind.REQUEST, run.requestId, null, run.state(), null));
            });
        }
    }

    private boolean dispatcherClosed() {
        return dispatcher.isShutdown();
    }

    private void stopped(FanOutRun run) {
        LOG.info("fan-out {}: error budget spent ({} errors > {}); no further dispatch", run.requestId, run.errors(), run.errorBudget);
    }

    /** The request's view: the live plan when this dispatcher runs it, else what the ledger knows. */
    public java.util.Optional<FanOutView> view(String requestId) {
        return view(requestId, true);
    }

    /**
     * The request's view.
     *
     * @param details false: each invocation's {@code command} is null, and the ledger is asked for
     *                the commands' statuses only (for requests to thousands of nodes, and to see
     *                whether one is over: a fraction of the cost of reading and decoding every command)
     */
    public java.util.Optional<FanOutView> view(String requestId, boolean details) {
        FanOutRun run = runs.get(requestId);
        Map<String, CommandStatus> statusByNode = new TreeMap<>();
        Map<String, CommandView> commandByNode = new HashMap<>();
        if (details) {
            for (CommandView c : ledger.requestCommands(requestId)) {
                statusByNode.put(c.node(), c.status());
                commandByNode.put(c.node(), c);
            }
        } else {
            for (InvocationStatus s : ledger.requestStatuses(requestId)) {
                statusByNode.put(s.node(), s.status());
            }
        }
        if (run == null && statusByNode.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<Invocation> invocations = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        int errors = 0;
        List<String> nodes = run != null ? run.nodes() : new ArrayList<>(statusByNode.keySet());
        boolean allTerminal = true;
        for (String node : nodes) {
            CommandStatus dispatched = statusByNode.get(node);
            String status;
            if (dispatched != null) {
                status = dispatched.name();
                allTerminal &= dispatched.isTerminal();
                if (dispatched.isTerminal() && dispatched != CommandStatus.SUCCEEDED) {
                    errors++;
                }
            } else if (run != null && run.dispatchFailure(node) != null) {
                status = InvocationState.DISPATCH_FAILED.name();
                errors++;
            } else if (run != null && run.isDispatched(node)) {
                status = CommandStatus.QUEUED.name();
                allTerminal = false;
            } else if (run != null && run.isStopped()) {
                status = InvocationState.NOT_STARTED.name();
            } else {
                status = InvocationState.PENDING.name();
                allTerminal = false;
            }
            counts.merge(status, 1, Integer::sum);
            invocations.add(new Invocation(node, FanOutRun.commandId(requestId, node), status, commandByNode.get(node),
                    run == null ? null : run.dispatchFailure(node)));
        }
        String state = !allTerminal ? "RUNNING" : run != null && run.isStopped() ? "STOPPED" : "DONE";
        FanOutRequest req = run == null ? null : run.request;
        return java.util.Optional.of(new FanOutView(requestId, state,
                req == null ? null : req.maxConcurrency().toString(), req == null ? null : req.maxErrors().toString(),
                nodes.size(), errors, counts, invocations, run != null));
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("closing the fan-out subscription: {}", e.toString());
        }
        dispatcher.shutdownNow();
        try {
            dispatcher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
