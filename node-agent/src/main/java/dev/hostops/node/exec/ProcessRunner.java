package dev.hostops.node.exec;

import dev.hostops.node.exec.internal.ExecEngine;

/**
 * Runs programs on this host and streams their output: the node agent's process execution
 * engine. Pure JDK; safe to use from many threads.
 *
 * <h2>What a started command does</h2>
 * <ul>
 *   <li>{@code argv} is run without a shell, in the spec's workdir, with the agent's environment
 *       plus the overrides; stdin is closed, so a program reading it sees end-of-file at once.</li>
 *   <li>stdout and stderr are read at the same time by two threads from a shared cached pool and
 *       sent to the {@link LogSink} as {@code LogChunk}s with one sequence per command, from 0,
 *       without gaps. A chunk is at most {@code chunkBytes}; bytes that wait are sent after at
 *       most about {@code flushInterval} even if few. Memory per command is fixed (about three
 *       chunks and one tail per stream), whatever the output size: a slow sink slows the
 *       program through its pipe, nothing piles up.</li>
 *   <li>A chunk carries text when its bytes are valid UTF-8, otherwise base64
 *       ({@code encoding: "base64"}). Cuts never split a UTF-8 character, so ordinary text output
 *       is never sent as base64. Concatenating {@code LogChunk.bytes()} of one stream gives exactly
 *       the bytes the program wrote.</li>
 *   <li><b>End of stream:</b> each stream that produced output ends with exactly one chunk with
 *       {@code eof=true}; it holds the last pending bytes, possibly none. A stream that produced no
 *       byte sends no chunk, so a silent command costs no log message.
 *       {@link ExecOutcome#logChunks()} counts all chunks, eof chunks included.</li>
 *   <li>A timeout or {@link RunningCommand#cancel(String)} kills the whole process tree:
 *       descendants are listed before any signal, then SIGTERM, then SIGKILL after
 *       {@code killGrace}, re-listing until none is running; the outcome comes after that. What
 *       cannot be caught: a process that left the tree before the listing (daemonized by a
 *       double fork, usually with {@code setsid}; its parent is then init, not the command), or
 *       one forked in the instant between a listing and its parent's death. It survives.</li>
 *   <li>The completion future completes once, after the process exited, both streams were
 *       drained and the last chunk was handed to the sink. If a background process keeps the
 *       output pipe open after the program exited, the runner waits {@code killGrace} for it,
 *       then ends both streams and drops what that process writes later (the JDK may also close
 *       the pipe itself when the program exits, so such a process can get EPIPE).</li>
 * </ul>
 */
public final class ProcessRunner implements AutoCloseable {
    private final ExecEngine engine;

    public ProcessRunner(RunnerOptions options) {
        this.engine = new ExecEngine(options);
    }

    /**
     * Starts the program and returns at once.
     *
     * @throws SpawnException        when the program could not be started (missing file or
     *                               workdir, not executable, ...): nothing ran
     * @throws IllegalStateException when this runner is closed
     */
    public RunningCommand start(RunSpec spec, LogSink sink) throws SpawnException {
        return engine.start(spec, sink);
    }

    /**
     * Kills every running command (reported as CANCELLED), waits up to the kill grace plus a few
     * seconds for them to report, and stops the runner's threads. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }
}
