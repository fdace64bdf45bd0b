package dev.hostops.contracts.message;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Stop a command: if queued it never runs; if running its whole process tree is killed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Cancel(String id, String node, String reason, String requestedBy, Signature signature) implements Message {
    public Cancel {
        Checks.id(id);
        Checks.node(node);
    }

    public static Cancel of(String id, String node, String reason) {
        return new Cancel(id, node, reason, null, null);
    }
}
