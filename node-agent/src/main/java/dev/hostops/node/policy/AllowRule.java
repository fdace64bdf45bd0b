package dev.hostops.node.policy;

import java.util.List;
import java.util.Objects;

/**
 * One {@code allow} entry (or one entry of the approved file): a glob on the real path of the program, optional
 * argument patterns (any one must match the whole argument list; empty means any arguments) and optional workdir
 * roots (the real workdir must be one of them or inside one; empty means any workdir).
 */
public record AllowRule(String path, List<String> args, List<String> workdirs) {
    public AllowRule {
        Objects.requireNonNull(path, "path must not be null");
        args = args == null ? List.of() : List.copyOf(args);
        workdirs = workdirs == null ? List.of() : List.copyOf(workdirs);
    }

    public static AllowRule of(String path) {
        return new AllowRule(path, List.of(), List.of());
    }
}
