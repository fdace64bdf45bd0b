package dev.hostops.node.exec.internal;

import dev.hostops.contracts.ErrorCode;
import dev.hostops.node.exec.RunSpec;
import dev.hostops.node.exec.SpawnException;
import dev.hostops.node.exec.WindowsCommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Starts the program of a {@link RunSpec}: argv without a shell, its workdir, env, stdin closed. */
final class Spawner {
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private Spawner() {}

    static Process spawn(RunSpec spec) throws SpawnException {
        ProcessBuilder pb = new ProcessBuilder(WINDOWS ? windowsArgv(spec.argv()) : spec.argv());
        if (spec.workdir() != null) {
            pb.directory(spec.workdir().toFile());
        }
        // The agent's environment plus the overrides; the policy has already refused forbidden names.
        pb.environment().putAll(spec.envOverrides());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw explain(spec, e);
        }
        // stdin is a pipe closed at once: the program reads end-of-file instead of waiting for
        // input no one will type (the same on every OS, unlike naming the null device).
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // nothing was written, so there is nothing to lose
        }
        return process;
    }

    /** argv spelled so that the program's own splitting gives back the argv the policy judged. */
    private static List<String> windowsArgv(List<String> argv) throws SpawnException {
        if ("false".equalsIgnoreCase(System.getProperty(WindowsCommandLine.AMBIGUOUS_COMMANDS_PROPERTY))) {
            // The JDK would escape the encoded arguments once more and change them.
            throw new SpawnException(ErrorCode.SPAWN_FAILED, "The node agent runs with -D"
                    + WindowsCommandLine.AMBIGUOUS_COMMANDS_PROPERTY + "=false, under which it cannot pass arguments "
                    + "to Windows programs intact; remove that option from its Java options.", null);
        }
        try {
            return WindowsCommandLine.forProcessBuilder(argv);
        } catch (IllegalArgumentException e) {
            // The policy refuses such an argument first; this is the last line, not the message users see.
            throw new SpawnException(ErrorCode.INVALID_FIELD, e.getMessage() + ".", e);
        }
    }

    private static SpawnException explain(RunSpec spec, IOException e) {
        String program = spec.argv().get(0);
        Path workdir = spec.workdir();
        if (workdir != null && !Files.isDirectory(workdir)) {
            return new SpawnException(ErrorCode.WORKDIR_NOT_FOUND,
                    "The working directory " + workdir + " does not exist or is not a directory.", e);
        }
        if (!Files.exists(Path.of(program))) {
            return new SpawnException(ErrorCode.EXECUTABLE_NOT_FOUND, "The program " + program + " does not exist.", e);
        }
        // The JDK puts the OS reason ("error=13, Permission denied") in the cause.
        String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        return new SpawnException(ErrorCode.SPAWN_FAILED,
                "The program " + program + " could not be started (" + reason + ").", e);
    }
}
