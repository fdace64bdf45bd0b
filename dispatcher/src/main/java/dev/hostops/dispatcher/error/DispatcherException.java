package dev.hostops.dispatcher.error;

import java.util.Objects;

/**
 * A request the dispatcher refuses or cannot serve: a stable {@link ApiError} code and a sentence
 * for a person (naming the field, when a field is at fault). The HTTP layer turns it into
 * {@code {"code": ..., "message": ...}} with the code's status.
 */
public final class DispatcherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ApiError code;

    public DispatcherException(ApiError code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code must not be null");
    }

    public DispatcherException(ApiError code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code must not be null");
    }

    public ApiError code() {
        return code;
    }

    public static DispatcherException invalid(String message) {
        return new DispatcherException(ApiError.INVALID_FIELD, message);
    }

    public static DispatcherException notFound(String message) {
        return new DispatcherException(ApiError.NOT_FOUND, message);
    }
}
