package dev.hostops.node.exec;

import dev.hostops.contracts.ErrorCode;
import java.util.Objects;

/**
 * The program could not be started. The message is a sentence for a person; {@link #code()} is
 * {@code EXECUTABLE_NOT_FOUND}, {@code WORKDIR_NOT_FOUND} or {@code SPAWN_FAILED}.
 */
public final class SpawnException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public SpawnException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code must not be null");
    }

    public ErrorCode code() {
        return code;
    }
}
