package dev.hostops.node.policy;

import java.util.List;
import java.util.Objects;

/**
 * One {@code deny} entry: a glob on the real path of the program and argument patterns, any of which forbids the
 * command when its tokens occur in the arguments in order (see docs/POLICY.md). No patterns: the program itself is
 * forbidden.
 */
public record DenyRule(String path, List<String> args) {
    public DenyRule {
        Objects.requireNonNull(path, "path must not be null");
        args = args == null ? List.of() : List.copyOf(args);
    }
}
