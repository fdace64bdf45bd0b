package dev.hostops.dispatcher.auth;

import java.util.Locale;

/** What a token may do. {@link #ADMIN} implies every other role. */
public enum Role {
    /** Read commands, logs, nodes, approvals, events. */
    READ,
    /** Submit and cancel commands. */
    SUBMIT,
    /** Answer approval requests. */
    APPROVE,
    /** Everything. */
    ADMIN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWire(String text) {
        for (Role r : values()) {
            if (r.wire().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be one of read, submit, approve, admin, not '" + text + "'");
    }
}
