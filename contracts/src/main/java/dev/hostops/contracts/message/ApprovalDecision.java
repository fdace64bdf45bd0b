package dev.hostops.contracts.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.hostops.contracts.ContractViolation;

/** A person's answer to an {@link ApprovalRequest}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalDecision(String id, String node, Decision decision, String approver, String reason, Signature signature)
        implements Message {

    public enum Decision {
        ALLOW_ONCE("allow-once"), ALLOW_ALWAYS("allow-always"), DENY("deny");

        private final String wire;

        Decision(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }

        @JsonCreator
        public static Decision fromWire(String value) {
            for (Decision d : values()) {
                if (d.wire.equals(value)) {
                    return d;
                }
            }
            throw ContractViolation.invalid("decision", "decision must be one of allow-once, allow-always, deny, not '" + value + "'");
        }

        public boolean allows() {
            return this != DENY;
        }
    }

    public ApprovalDecision {
        Checks.id(id);
        Checks.node(node);
        Checks.required(decision, "decision");
    }
}
