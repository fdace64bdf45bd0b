package dev.hostops.node.policy;

/** The policy file (or the approved file) cannot be used; the message names the file, key and line when known. */
public final class PolicyException extends Exception {
    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
