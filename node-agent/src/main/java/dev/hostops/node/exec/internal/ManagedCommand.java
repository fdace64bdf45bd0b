package dev.hostops.node.exec.internal;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.node.exec.ExecOutcome;
import dev.hostops.node.exec.LogSink;
import dev.hostops.node.exec.RunSpec;
import dev.hostops.node.exec.RunnerOptions;
import dev.hostops.node.exec.RunningCommand;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One started command: ties the process, its two stream readers, the flush tick, the timeout and
 * the kill together, and completes the outcome once.
 *
 * <p>The outcome is built when the process has exited, both streams reached their end and, after
 * a timeout or cancel, the kill of the tree is over. If a
 * background process keeps the output open after the program exited, the runner waits
 * {@code killGrace} for it and then ends the streams itself (later bytes are dropped, logged).
 * Completion runs on a runner I/O thread, never on the scheduler.
 */
final class ManagedCommand implements RunningCommand {
    private static final Logger log = LoggerFactory.getLogger(ManagedCommand.class);

    private final RunSpec spec;
    private final RunnerOptions options;
    private final ExecThreads threads;
    private final Process process;
    private final CommandOutput output;
    private final Consumer<ManagedCommand> onFinished;
    private final Instant startedAt;
    private final long startNanos;
    private final CompletableFuture<ExecOutcome> completion = new CompletableFuture<>();
    private final AtomicReference<CommandStatus> killedAs = new AtomicReference<>();
    private final AtomicInteger openStreams = new AtomicInteger(2);
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean exitSeen = new AtomicBoolean();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private volatile boolean exited;
    private volatile boolean drainGivenUp;
    private volatile long exitNanos;
    private volatile Instant finishedAt;
    private volatile ScheduledFuture<?> ticker;
    private volatile ScheduledFuture<?> timeout;
    private volatile ScheduledFuture<?> drainDeadline;
    /** Set when a kill started; the outcome waits for it, so a reported kill means the tree is gone. */
    private volatile CompletableFuture<Void> treeKilled;

    private ManagedCommand(RunSpec spec, RunnerOptions options, ExecThreads threads, Process process,
                           LogSink sink, Consumer<ManagedCommand> onFinished) {
        this.spec = spec;
        this.options = options;
        this.threads = threads;
        this.process = process;
        this.onFinished = onFinished;
        this.startedAt = Instant.now();
        this.startNanos = System.nanoTime();
        this.output = new CommandOutput(spec.commandId(), spec.node(), options.chunkBytes(), options.tailBytes(), sink);
    }

    /** Wires up a freshly spawned process. Throws {@link RejectedExecutionException} when the runner is shut down. */
    static ManagedCommand begin(RunSpec spec, RunnerOptions options, ExecThreads threads, Process process,
                                LogSink sink, Consumer<ManagedCommand> onFinished) {
        ManagedCommand c = new ManagedCommand(spec, options, threads, process, sink, onFinished);
        c.wire();
        return c;
    }

    private void wire() {
        long tickNanos = options.flushInterval().toNanos();
        ticker = threads.scheduler.scheduleWithFixedDelay(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        if (spec.timeout() != null) {
            timeout = threads.scheduler.schedule(() -> kill(CommandStatus.TIMED_OUT, "its timeout of " + spec.timeout() + " passed"),
                    spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        try {
            threads.io.execute(new StreamPump(process.getInputStream(), LogChunk.Stream.STDOUT, output,
                    options.chunkBytes(), this::streamEnded));
            threads.io.execute(new StreamPump(process.getErrorStream(), LogChunk.Stream.STDERR, output,
                    options.chunkBytes(), this::streamEnded));
        } catch (RejectedExecutionException e) {
            process.toHandle().destroyForcibly();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            cancelTimers();
            throw e;
        }
        process.onExit().thenRunAsync(this::processExited, threads.io);
    }

    @Override
    public String commandId() {
        return spec.commandId();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public CompletableFuture<ExecOutcome> completion() {
        return completion;
    }

    @Override
    public void cancel(String reason) {
        kill(CommandStatus.CANCELLED, reason == null ? "it was cancelled" : "it was cancelled: " + reason);
    }

    private void kill(CommandStatus as, String why) {
        if (exited || !process.isAlive() || !killedAs.compareAndSet(null, as)) {
            return;
        }
        log.info("Killing the process tree of command {} (pid {}) because {}", spec.commandId(), process.pid(), why);
        try {
            CompletableFuture<Void> killed = ProcessTreeKiller.kill(process.toHandle(), options.killGrace(), threads.scheduler);
            treeKilled = killed;
            killed.thenRunAsync(this::tryFinish, threads.io);
        } catch (RejectedExecutionException e) {
            // The runner's threads are gone (a cancel after close): kill hard, here and now.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.toHandle().destroyForcibly();
            treeKilled = CompletableFuture.completedFuture(null);
        }
    }

    /** Runs on the scheduler: hands a time flush to an I/O thread so a slow sink never blocks the timer. */
    private void tick() {
        if (!output.hasPending() || !flushQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            threads.io.execute(() -> {
                try {
                    output.flushPending();
                } finally {
                    flushQueued.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            flushQueued.set(false);
        }
    }

    private void streamEnded() {
        if (openStreams.decrementAndGet() == 0 && !exited) {
            // Both pipes closed, so the program has almost always exited: waiting for it here, on
            // this reader thread, saves the hand-offs of the JDK's exit notification (which still
            // comes and covers a program that closes its output but keeps running).
            try {
                process.waitFor();
                processExited();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the runner is shutting down
            }
        }
        tryFinish();
    }

    private void processExited() {
        if (!exitSeen.compareAndSet(false, true)) {
            return;
        }
        exitNanos = System.nanoTime();
        finishedAt = Instant.now();
        exited = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (openStreams.get() > 0) {
            drainDeadline = threads.scheduler.schedule(this::giveUpDraining,
                    options.killGrace().toNanos(), TimeUnit.NANOSECONDS);
        }
        tryFinish();
    }

    private void giveUpDraining() {
        if (finished.get() || openStreams.get() == 0) {
            return;
        }
        log.warn("Command {} exited but its output is still held open, probably by a background process; "
                + "ending its log now and dropping anything written later", spec.commandId());
        drainGivenUp = true;
        try {
            threads.io.execute(this::tryFinish);
        } catch (RejectedExecutionException e) {
            tryFinish();
        }
    }

    private void tryFinish() {
        CompletableFuture<Void> killing = treeKilled;
        // killedAs is set before treeKilled: a kill being set up counts as a kill in progress.
        boolean killInProgress = killedAs.get() != null && (killing == null || !killing.isDone());
        if (!exited || (openStreams.get() > 0 && !drainGivenUp) || killInProgress
                || !finished.compareAndSet(false, true)) {
            return;
        }
        try {
            cancelTimers();
            output.detach();
            completion.complete(outcome());
        } catch (RuntimeException | Error e) {
            log.error("Could not build the outcome of command {}", spec.commandId(), e);
            completion.completeExceptionally(e);
        } finally {
            onFinished.accept(this);
        }
    }

    private ExecOutcome outcome() {
        int exitCode = process.exitValue();
        CommandStatus killed = killedAs.get();
        CommandStatus status = killed != null ? killed : exitCode == 0 ? CommandStatus.SUCCEEDED : CommandStatus.FAILED;
        CommandOutput.StreamSummary out = output.summary(LogChunk.Stream.STDOUT);
        CommandOutput.StreamSummary err = output.summary(LogChunk.Stream.STDERR);
        long durationMs = TimeUnit.NANOSECONDS.toMillis(exitNanos - startNanos);
        return new ExecOutcome(status, exitCode, startedAt, finishedAt, durationMs, out.tail(), err.tail(),
                out.bytes(), err.bytes(), output.chunksSent(), out.truncated() || err.truncated(), process.pid());
    }

    private void cancelTimers() {
        for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {ticker, timeout, drainDeadline}) {
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
