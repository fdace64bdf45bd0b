package dev.hostops.cli.client;

/** A failed API call: the dispatcher's error code (or UNREACHABLE) and a sentence for a person. */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;

    public ApiException(String code, String message) {
        this(code, message, 0);
    }

    public ApiException(String code, String message, int status) {
        super(message);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    /** The HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }
}
