package dev.hostops.node.exec;

import java.util.concurrent.CompletableFuture;

/** A command that was started by a {@link ProcessRunner}. */
public interface RunningCommand {

    String commandId();

    /** The process id of the started program. */
    long pid();

    /**
     * Completes once with the outcome, after the process exited, both output streams were
     * drained, the last chunk was handed to the sink and, after a timeout or cancel, the killed
     * tree is gone. Dependent stages run on a runner I/O thread: use the {@code ...Async} variants
     * for slow work. It completes exceptionally only if the runner itself has a bug (logged).
     */
    CompletableFuture<ExecOutcome> completion();

    /**
     * Kills the whole process tree (SIGTERM, then SIGKILL after the kill grace) and reports
     * {@code CANCELLED}. Does nothing when the program has already exited or was already being
     * killed for its timeout. Returns at once; wait on {@link #completion()}.
     */
    void cancel(String reason);
}
