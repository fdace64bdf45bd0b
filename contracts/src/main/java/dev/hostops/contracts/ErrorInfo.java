package dev.hostops.contracts;

import java.util.Objects;

/**
 * An error as it travels on the wire: {@code {"code":"ALLOWLIST_MISS","message":"..."}}.
 * The code is kept as a string so that a newer peer's code is carried, not refused.
 */
public record ErrorInfo(String code, String message) {
    public ErrorInfo {
        Objects.requireNonNull(code, "code must not be null");
        Objects.requireNonNull(message, "message must not be null");
    }

    public static ErrorInfo of(ErrorCode code, String message) {
        return new ErrorInfo(code.name(), message);
    }
}
