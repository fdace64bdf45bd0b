package dev.hostops.dispatcher.ledger;

import dev.hostops.contracts.CommandStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fan-out request: one invocation per node, grouped under one request id.
 *
 * @param invocations the commands of this request, ordered by node (at most the first 10,000)
 * @param counts      how many invocations are in each status (statuses with none are absent); all of them
 */
public record RequestView(String requestId, List<CommandView> invocations, Map<CommandStatus, Integer> counts) {

    public RequestView {
        Objects.requireNonNull(requestId, "requestId must not be null");
        invocations = List.copyOf(invocations);
        counts = Map.copyOf(counts);
    }

    /** How many invocations the request has. */
    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** True when every invocation has a terminal status (an empty request is not done). */
    public boolean done() {
        return total() > 0 && counts.keySet().stream().allMatch(CommandStatus::isTerminal);
    }
}
