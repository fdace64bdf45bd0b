package dev.hostops.dispatcher.ledger;

import dev.hostops.contracts.message.Presence;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node's last known presence.
 *
 * @param sessionId the agent session that sent the last presence (new at every agent start)
 * @param since     when the node entered its current state (the presence's own time, else when the ledger saw it)
 */
public record NodeView(
        String node,
        Presence.State state,
        String sessionId,
        String hostname,
        String os,
        String arch,
        String agentVersion,
        String policyDigest,
        List<String> capabilities,
        Map<String, String> labels,
        Integer maxConcurrency,
        Instant since) {

    public NodeView {
        Objects.requireNonNull(node, "node must not be null");
        Objects.requireNonNull(state, "state must not be null");
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public boolean online() {
        return state == Presence.State.ONLINE;
    }
}
