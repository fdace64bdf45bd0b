package dev.hostops.node.exec;

import dev.hostops.contracts.message.LogChunk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run: a command that the policy has already accepted.
 *
 * @param commandId    the command id; every log chunk carries it
 * @param node         this node's id; every log chunk carries it
 * @param argv         the program and its arguments, run without a shell; {@code argv[0]} is the
 *                     already-resolved absolute path of the executable
 * @param workdir      the working directory, or {@code null} for the agent's own
 * @param envOverrides variables added to (or replacing those of) the agent's environment; the
 *                     policy has already refused forbidden ones, so they are not checked again here
 * @param timeout      the execution limit, or {@code null} for none; when it passes the whole
 *                     process tree is killed and the outcome is {@code TIMED_OUT}
 */
public record RunSpec(String commandId, String node, List<String> argv, Path workdir,
                      Map<String, String> envOverrides, Duration timeout) {

    public RunSpec {
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(node, "node must not be null");
        // The contract owns the rules for ids; building a probe chunk applies them here, at the
        // caller, instead of failing later inside a reader thread.
        new LogChunk(commandId, node, 0, LogChunk.Stream.STDOUT, "", null, false);
        Objects.requireNonNull(argv, "argv must not be null");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        argv = List.copyOf(argv);
        if (!Path.of(argv.get(0)).isAbsolute()) {
            throw new IllegalArgumentException("argv[0] must be an absolute path, not '" + argv.get(0) + "'");
        }
        envOverrides = envOverrides == null ? Map.of() : Map.copyOf(envOverrides);
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive when given, not " + timeout);
        }
    }

    /** A spec with no workdir, no overrides and no timeout: handy for tests and tools. */
    public static RunSpec of(String commandId, String node, List<String> argv) {
        return new RunSpec(commandId, node, argv, null, Map.of(), null);
    }
}
