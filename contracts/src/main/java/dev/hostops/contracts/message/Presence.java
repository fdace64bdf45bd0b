package dev.hostops.contracts.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.hostops.contracts.ContractViolation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A node's presence: retained online on connect, offline as its last will (or on a clean stop).
 * {@code id} is the agent session's id, new at every start.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Presence(
        String id,
        String node,
        State state,
        String hostname,
        String os,
        String arch,
        String agentVersion,
        String policyDigest,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> capabilities,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> labels,
        Integer maxConcurrency,
        Instant at) implements Message {

    public enum State {
        ONLINE("online"), OFFLINE("offline");

        private final String wire;

        State(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }

        @JsonCreator
        public static State fromWire(String value) {
            for (State s : values()) {
                if (s.wire.equals(value)) {
                    return s;
                }
            }
            throw ContractViolation.invalid("state", "state must be online or offline, not '" + value + "'");
        }
    }

    public Presence {
        Checks.id(id);
        Checks.node(node);
        Checks.required(state, "state");
        capabilities = Checks.list(capabilities, "capabilities");
        labels = Checks.map(labels, "labels");
    }

    public static Presence offline(String sessionId, String node) {
        return new Presence(sessionId, node, State.OFFLINE, null, null, null, null, null, null, null, null, null);
    }
}
