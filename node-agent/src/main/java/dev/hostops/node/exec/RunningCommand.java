package dev.hostops.node.exec;

import java.util.concurrent.CompletableFuture;

/** A command that was started by a {@link ProcessRunner}. */
public interface RunningCommand {

    String commandId();

    /** The process id of the started program. */
    long pid();

    /**
     * Completes once with the outcome, after the process exited, both output streams were
     * drained and the last chunk was handed to the sink. It never completes exceptionally: a
     * failure inside the runner is logged and reported through the outcome it can still build.
     */
    CompletableFuture<ExecOutcome> completion();

    /**
     * Kills the whole process tree (SIGTERM, then SIGKILL after the kill grace) and reports
     * {@code CANCELLED}. Does nothing when the program has already exited or was already being
     * killed for its timeout. Returns at once; wait on {@link #completion()}.
     */
    void cancel(String reason);
}
