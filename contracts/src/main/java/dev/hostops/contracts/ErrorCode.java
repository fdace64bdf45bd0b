package dev.hostops.contracts;

/**
 * Stable error codes. The names are part of the public contract: never rename one, only add.
 * Each carries a default sentence for a person; an {@link ErrorInfo} may give a more precise one.
 */
public enum ErrorCode {
    // The message itself
    MALFORMED_MESSAGE("The message is not a valid JSON object."),
    MESSAGE_TOO_LARGE("The message is larger than the maximum allowed size."),
    UNSUPPORTED_VERSION("The message has a contract version this agent does not speak."),
    UNKNOWN_TYPE("The message type is not known."),
    MISSING_FIELD("A required field is missing."),
    INVALID_FIELD("A field has the wrong type or an invalid value."),
    INVALID_NODE_ID("The node id must match [A-Za-z0-9_-]{1,64}."),
    WRONG_NODE("The command is addressed to another node."),
    EMPTY_ARGV("The command has no program to run."),
    SHELL_SYNTAX("The command string contains shell syntax; send argv or a plain command."),
    ID_CONFLICT("This command id was already used for a different command."),

    // Policy on the node
    SECURITY_DENY("This node's policy denies every command (security: deny)."),
    ALLOWLIST_MISS("The program is not on this node's allowlist."),
    DENIED_BY_RULE("A deny rule of this node's policy forbids these arguments."),
    SHELL_WRAPPER("A shell wrapper needs an approval or security: full on this node."),
    FORBIDDEN_ENV("The command may not set this environment variable."),
    EXECUTABLE_NOT_FOUND("The program was not found on this node."),
    WORKDIR_NOT_FOUND("The working directory does not exist on this node."),
    WORKDIR_NOT_ALLOWED("The working directory is outside the roots this rule allows."),
    APPROVAL_DENIED("An approver denied the command."),
    APPROVAL_TIMEOUT("No approver answered in time and the fallback denies."),

    // Signatures and replay (trust boundary)
    BAD_SIGNATURE("The signature is missing or does not match the message."),
    UNTRUSTED_KEY("The message is signed with a key this node does not trust."),
    REPLAY("This command id was already seen."),

    // Lifecycle outcomes that are not a normal exit
    EXPIRED("The command's delivery deadline (expiresAt) passed before it could start."),
    TIMED_OUT("The command ran longer than its timeout and was killed."),
    CANCELLED("The command was cancelled."),
    LOST("The node agent stopped while the command was running; its outcome is unknown."),
    SPAWN_FAILED("The program could not be started."),
    NODE_OFFLINE("The node is offline."),
    INTERNAL("An unexpected error occurred on the node.");

    private final String defaultMessage;

    ErrorCode(String defaultMessage) {
        this.defaultMessage = defaultMessage;
    }

    public String defaultMessage() {
        return defaultMessage;
    }

    public ErrorInfo withMessage(String message) {
        return new ErrorInfo(name(), message);
    }

    public ErrorInfo info() {
        return new ErrorInfo(name(), defaultMessage);
    }
}
