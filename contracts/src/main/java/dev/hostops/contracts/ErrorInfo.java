package dev.hostops.contracts;

/**
 * An error as it travels on the wire: {@code {"code":"ALLOWLIST_MISS","message":"..."}}.
 * The code is kept as a string so that a newer peer's code is carried, not refused.
 */
public record ErrorInfo(String code, String message) {
    public ErrorInfo {
        if (code == null) {
            throw ContractViolation.missing("code");
        }
        if (message == null) {
            throw ContractViolation.missing("message");
        }
    }

    public static ErrorInfo of(ErrorCode code, String message) {
        return new ErrorInfo(code.name(), message);
    }
}
