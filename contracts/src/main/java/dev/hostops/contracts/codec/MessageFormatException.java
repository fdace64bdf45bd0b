package dev.hostops.contracts.codec;

import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.ErrorInfo;
import java.util.Optional;

/**
 * A message that cannot be accepted. Carries a stable code, the field at fault (when there is
 * one), and whatever of the id and node could still be read, so that the receiver can answer
 * with a REJECTED result instead of dropping the message.
 */
public final class MessageFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String field;
    private final String id;
    private final String node;
    private final String type;

    public MessageFormatException(ErrorCode code, String field, String message, String id, String node, String type) {
        super(message);
        this.code = code;
        this.field = field;
        this.id = id;
        this.node = node;
        this.type = type;
    }

    public ErrorCode code() {
        return code;
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** The message's id, when it was a readable string. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    /** The message's node, when it was a valid node id. */
    public Optional<String> node() {
        return Optional.ofNullable(node);
    }

    /** The message's type, when it was a readable string. */
    public Optional<String> type() {
        return Optional.ofNullable(type);
    }

    public ErrorInfo toErrorInfo() {
        return new ErrorInfo(code.name(), getMessage());
    }
}
