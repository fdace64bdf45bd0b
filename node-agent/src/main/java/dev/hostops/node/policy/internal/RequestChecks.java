package dev.hostops.node.policy.internal;

import dev.hostops.contracts.ErrorCode;
import dev.hostops.node.exec.WindowsCommandLine;
import dev.hostops.node.policy.HostModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The first checks of a command, before anything on disk is looked at (steps 1 and 2 in docs/POLICY.md). */
public final class RequestChecks {
    private RequestChecks() {}

    /**
     * Empty argv, null or NUL-bearing values, and on Windows tricky spellings of argv[0] or the workdir and
     * arguments Java cannot pass to a program intact ({@link WindowsCommandLine#problem}).
     */
    public static void input(List<String> argv, String workdir, HostModel host) throws Refusal {
        if (argv.isEmpty() || argv.get(0) == null || argv.get(0).isEmpty()) {
            throw new Refusal(ErrorCode.EMPTY_ARGV, ErrorCode.EMPTY_ARGV.defaultMessage(), "input");
        }
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i) == null) {
                throw new Refusal(ErrorCode.INVALID_FIELD, "argv[" + i + "] is null.", "input");
            }
            if (argv.get(i).indexOf('\0') >= 0) {
                throw new Refusal(ErrorCode.INVALID_FIELD, "argv[" + i + "] contains a NUL character, which would cut it short.", "input");
            }
        }
        if (workdir != null && workdir.indexOf('\0') >= 0) {
            throw new Refusal(ErrorCode.INVALID_FIELD, "The workdir contains a NUL character.", "input");
        }
        if (host.windows()) {
            Optional<String> problem = WindowsPathRules.problem(argv.get(0), "argv[0]");
            if (problem.isEmpty() && workdir != null) {
                problem = WindowsPathRules.problem(workdir, "workdir");
            }
            if (problem.isPresent()) {
                throw new Refusal(ErrorCode.INVALID_FIELD, problem.get() + ".", "input");
            }
            for (int i = 1; i < argv.size(); i++) {
                Optional<String> unpassable = WindowsCommandLine.problem(argv.get(i));
                if (unpassable.isPresent()) {
                    throw new Refusal(ErrorCode.INVALID_FIELD, "argv[" + i + "] " + unpassable.get() + ".", "input");
                }
            }
        }
    }

    /** Invalid names, NUL in values, and forbidden variables (named in the message). */
    public static void env(Map<String, String> env, HostModel host) throws Refusal {
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new Refusal(ErrorCode.INVALID_FIELD, "The environment variable name '" + name + "' is not valid.", "env");
            }
            if (e.getValue() != null && e.getValue().indexOf('\0') >= 0) {
                throw new Refusal(ErrorCode.INVALID_FIELD, "The value of environment variable " + name + " contains a NUL character.", "env");
            }
            Optional<String> reason = ForbiddenEnv.reason(name, host.windows());
            if (reason.isPresent()) {
                throw new Refusal(ErrorCode.FORBIDDEN_ENV, reason.get(), "env " + name);
            }
        }
    }
}
