package dev.hostops.dispatcher.fanout;

import dev.hostops.contracts.message.Exec;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Run one command on many nodes.
 *
 * @param template       the exec; its id becomes the request id and its node is replaced per target
 * @param nodes          explicit targets, or empty when {@code selector} chooses
 * @param selector       chooses targets from presence, or null
 * @param maxConcurrency at most this many invocations not yet terminal at once
 * @param maxErrors      no new dispatch once more than this many invocations failed
 */
public record FanOutRequest(Exec template, List<String> nodes, Selector selector, Limit maxConcurrency, Limit maxErrors) {
    public static final Limit DEFAULT_MAX_CONCURRENCY = Limit.count(50);
    public static final Limit DEFAULT_MAX_ERRORS = Limit.count(0);

    public FanOutRequest {
        Objects.requireNonNull(template, "template must not be null");
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        if (nodes.isEmpty() && selector == null) {
            throw new IllegalArgumentException("nodes or selector is required");
        }
        maxConcurrency = maxConcurrency == null ? DEFAULT_MAX_CONCURRENCY : maxConcurrency;
        maxErrors = maxErrors == null ? DEFAULT_MAX_ERRORS : maxErrors;
    }

    /**
     * Whether {@code retry} asks for what this request asked: the same command
     * ({@link #sameCommand}), the same targets (each node once, in any order; or the same
     * selector) and the same limits.
     */
    public boolean isRetriedBy(FanOutRequest retry) {
        return sameCommand(template, retry.template)
                && new HashSet<>(nodes).equals(new HashSet<>(retry.nodes))
                && Objects.equals(selector, retry.selector)
                && maxConcurrency.equals(retry.maxConcurrency)
                && maxErrors.equals(retry.maxErrors);
    }

    /**
     * Whether {@code retry} is the command {@code first} was. A retry without {@code expiresAt}
     * (none, or {@code expiresIn}) is compared without the deadline, as for a single command: the
     * dispatcher filled in the first one's.
     */
    public static boolean sameCommand(Exec first, Exec retry) {
        return retry.expiresAt() == null ? first.withExpiresAt(null).equals(retry) : first.equals(retry);
    }
}
