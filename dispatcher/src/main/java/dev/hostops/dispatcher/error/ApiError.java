package dev.hostops.dispatcher.error;

/**
 * The stable error codes of the HTTP API, each with its HTTP status. The names are public
 * ({@code {"code":"INVALID_FIELD","message":"..."}}): add, never rename.
 */
public enum ApiError {
    /** The body is not JSON, or not a JSON object. */
    MALFORMED_BODY(400),
    /** A required field is missing; the message names it. */
    MISSING_FIELD(400),
    /** A field has the wrong type or value; the message names it. */
    INVALID_FIELD(400),
    /** A query parameter is invalid; the message names it. */
    INVALID_PARAMETER(400),
    /** The command string contains shell syntax. */
    SHELL_SYNTAX(400),
    /** No or an unknown bearer token. */
    UNAUTHORIZED(401),
    /** The token lacks the role this route needs. */
    FORBIDDEN(403),
    /** No such command, node, approval or route. */
    NOT_FOUND(404),
    /** The method is not allowed on this route. */
    METHOD_NOT_ALLOWED(405),
    /** The id is already used by a different command. */
    ID_CONFLICT(409),
    /** The approval was already decided. */
    ALREADY_DECIDED(409),
    /** The command already has a terminal status; there is nothing to cancel. */
    ALREADY_FINISHED(409),
    /** The HTTP request itself could not be read (bad framing, bad header syntax). */
    MALFORMED_REQUEST(400),
    /** The body is larger than the limit. */
    BODY_TOO_LARGE(413),
    /** The request line (method, path, query) is longer than the server accepts. */
    URI_TOO_LONG(414),
    /** The request's headers are larger than the server accepts. */
    HEADERS_TOO_LARGE(431),
    /** The body is not {@code application/json}. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** The dispatcher cannot accept work now (ledger not writable, shutting down); retry later. */
    UNAVAILABLE(503),
    /** A bug; the message says what failed, never a stack trace. */
    INTERNAL(500);

    private final int status;

    ApiError(int status) {
        this.status = status;
    }

    public int httpStatus() {
        return status;
    }
}
