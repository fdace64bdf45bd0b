package dev.hostops.node.exec.internal;

import dev.hostops.node.exec.LogSink;
import dev.hostops.node.exec.ProcessRunner;
import dev.hostops.node.exec.RunSpec;
import dev.hostops.node.exec.RunnerOptions;
import dev.hostops.node.exec.RunningCommand;
import dev.hostops.node.exec.SpawnException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The implementation behind {@link ProcessRunner}; not an API, use {@link ProcessRunner}. */
public final class ExecEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExecEngine.class);
    /** On close, how long to wait beyond the kill grace for killed commands to report. */
    private static final Duration CLOSE_SLACK = Duration.ofSeconds(6);

    private final RunnerOptions options;
    private final ExecThreads threads = new ExecThreads();
    private final Map<ManagedCommand, Boolean> running = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    public ExecEngine(RunnerOptions options) {
        this.options = Objects.requireNonNull(options, "options must not be null");
    }

    public RunningCommand start(RunSpec spec, LogSink sink) throws SpawnException {
        Objects.requireNonNull(spec, "spec must not be null");
        Objects.requireNonNull(sink, "sink must not be null");
        if (closed.get()) {
            throw new IllegalStateException("The process runner is closed.");
        }
        Process process = Spawner.spawn(spec);
        try {
            ManagedCommand command = ManagedCommand.begin(spec, options, threads, process, sink, running::remove);
            running.put(command, Boolean.TRUE);
            if (command.completion().isDone()) {
                running.remove(command); // it finished before it was registered
            }
            if (closed.get()) {
                command.cancel("the process runner is closing"); // close() may have missed it
            }
            return command;
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("The process runner is closed.", e);
        }
    }

    /** Cancels every running command, waits for them to report, then stops the threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        var pending = running.keySet().stream().map(c -> {
            c.cancel("the process runner is closing");
            return c.completion();
        }).toArray(CompletableFuture<?>[]::new);
        try {
            CompletableFuture.allOf(pending).get(options.killGrace().plus(CLOSE_SLACK).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Not every command reported before the process runner closed", e);
        }
        threads.shutdownNow();
    }
}
