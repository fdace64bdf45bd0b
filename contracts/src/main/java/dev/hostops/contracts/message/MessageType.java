package dev.hostops.contracts.message;

import java.util.List;
import java.util.Optional;

/** The {@code type} field of each message and the record that carries it. */
public enum MessageType {
    EXEC("exec", Exec.class, "id", "node"),
    CANCEL("cancel", Cancel.class, "id", "node"),
    APPROVAL_REQUEST("approval_request", ApprovalRequest.class, "id", "node", "reason"),
    APPROVAL_DECISION("approval_decision", ApprovalDecision.class, "id", "node", "decision"),
    PRESENCE("presence", Presence.class, "id", "node", "state"),
    STATE("state", StateChange.class, "id", "node", "status", "at"),
    LOG("log", LogChunk.class, "id", "node", "seq", "stream", "data"),
    RESULT("result", Result.class, "id", "node", "status");

    private final String wire;
    private final Class<? extends Message> recordType;
    private final List<String> requiredFields;

    MessageType(String wire, Class<? extends Message> recordType, String... requiredFields) {
        this.wire = wire;
        this.recordType = recordType;
        this.requiredFields = List.of(requiredFields);
    }

    /**
     * The fields (besides {@code v} and {@code type}) that must be present and not null, as the
     * JSON Schema's {@code required} lists them. Exec additionally needs exactly one of
     * {@code argv} and {@code command}. Every other field is optional: absent or null means
     * "not given" (0 or false for the counters and flags).
     */
    public List<String> requiredFields() {
        return requiredFields;
    }

    public String wire() {
        return wire;
    }

    public Class<? extends Message> recordType() {
        return recordType;
    }

    public static Optional<MessageType> fromWire(String wire) {
        for (MessageType t : values()) {
            if (t.wire.equals(wire)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public static MessageType of(Class<?> recordType) {
        for (MessageType t : values()) {
            if (t.recordType == recordType) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a message record: " + recordType);
    }
}
