package dev.hostops.dispatcher.auth;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The nodes a token may act on: run commands there (one node or many), cancel their commands and
 * answer their approval requests. Each entry is a node id, or a pattern with {@code *} for any run
 * of characters ({@code build-*}); no entries means every node. So the orchestrator of a fleet and
 * a coding agent can share a dispatcher while the agent's token reaches only the build machines.
 * With {@code read} it also sees only those nodes' commands, logs, approvals and events
 * (docs/API.md, Auth).
 */
public final class NodeScope {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_*-]{1,64}");
    private static final NodeScope EVERY_NODE = new NodeScope(List.of());

    private final List<String> patterns;
    private final List<Pattern> compiled;

    private NodeScope(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.compiled = this.patterns.stream().map(NodeScope::compile).toList();
    }

    public static NodeScope everyNode() {
        return EVERY_NODE;
    }

    /** @throws IllegalArgumentException naming the first pattern that is not a node id with {@code *} */
    public static NodeScope of(List<String> patterns) {
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("must list at least one node id or pattern (leave it out for every node)");
        }
        for (String p : patterns) {
            if (p == null || !VALID.matcher(p).matches()) {
                throw new IllegalArgumentException("'" + p + "' is not a node id or a pattern of one ([A-Za-z0-9_-] and *)");
            }
        }
        return new NodeScope(patterns);
    }

    public boolean isEveryNode() {
        return patterns.isEmpty();
    }

    public boolean allows(String node) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (Pattern p : compiled) {
            if (node != null && p.matcher(node).matches()) {
                return true;
            }
        }
        return false;
    }

    public List<String> patterns() {
        return patterns;
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    @Override
    public String toString() {
        return patterns.isEmpty() ? "every node" : String.join(", ", patterns);
    }
}
