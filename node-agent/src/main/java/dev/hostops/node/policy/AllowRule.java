package dev.hostops.node.policy;

import java.util.List;
import java.util.Objects;

/**
 * One {@code allow} entry (or one entry of the approved file): a glob on the real path of the program, optional
 * argument patterns (any one must match the whole argument list; empty means any arguments), optional workdir
 * roots (the real workdir must be one of them or inside one; empty means any workdir) and the environment
 * variables a command may set for it ({@code env}: names, or a prefix ending in {@code *}; empty means none).
 *
 * <p>Environment names are an allowlist, not a blocklist: a variable can make an allowed program read another
 * configuration, write a file anywhere or talk through a proxy ({@code HOME}, {@code GIT_TRACE}, {@code CURL_HOME},
 * {@code https_proxy}, a compose file's own {@code ${VARS}}), and no list of bad names is ever complete.
 */
public record AllowRule(String path, List<String> args, List<String> workdirs, List<String> env) {
    public AllowRule {
        Objects.requireNonNull(path, "path must not be null");
        args = args == null ? List.of() : List.copyOf(args);
        workdirs = workdirs == null ? List.of() : List.copyOf(workdirs);
        env = env == null ? List.of() : List.copyOf(env);
    }

    /** An entry that lets the command set no environment variable. */
    public AllowRule(String path, List<String> args, List<String> workdirs) {
        this(path, args, workdirs, List.of());
    }

    public static AllowRule of(String path) {
        return new AllowRule(path, List.of(), List.of());
    }
}
