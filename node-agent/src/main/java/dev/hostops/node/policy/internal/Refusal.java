package dev.hostops.node.policy.internal;

import dev.hostops.contracts.ErrorCode;

/** A reason to deny a command, thrown inside the evaluation and turned into a DENY there (never leaves the package). */
public final class Refusal extends Exception {
    private final ErrorCode code;
    private final String rule;

    public Refusal(ErrorCode code, String message, String rule) {
        super(message, null, false, false);
        this.code = code;
        this.rule = rule;
    }

    public ErrorCode code() {
        return code;
    }

    /** The name of the check or rule that refused, for {@code PolicyDecision.rule}. */
    public String rule() {
        return rule;
    }
}
