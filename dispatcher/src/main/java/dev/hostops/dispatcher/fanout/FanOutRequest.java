package dev.hostops.dispatcher.fanout;

import dev.hostops.contracts.message.Exec;
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
}
