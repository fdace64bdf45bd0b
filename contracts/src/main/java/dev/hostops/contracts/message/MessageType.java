package dev.hostops.contracts.message;

import java.util.Optional;

/** The {@code type} field of each message and the record that carries it. */
public enum MessageType {
    EXEC("exec", Exec.class),
    CANCEL("cancel", Cancel.class),
    APPROVAL_REQUEST("approval_request", ApprovalRequest.class),
    APPROVAL_DECISION("approval_decision", ApprovalDecision.class),
    PRESENCE("presence", Presence.class),
    STATE("state", StateChange.class),
    LOG("log", LogChunk.class),
    RESULT("result", Result.class);

    private final String wire;
    private final Class<? extends Message> recordType;

    MessageType(String wire, Class<? extends Message> recordType) {
        this.wire = wire;
        this.recordType = recordType;
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
