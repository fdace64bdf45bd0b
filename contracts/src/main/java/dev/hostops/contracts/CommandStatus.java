package dev.hostops.contracts;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a command is in its life.
 *
 * <pre>
 * QUEUED ─&gt; DELIVERED ─&gt; [AWAITING_APPROVAL] ─&gt; RUNNING ─&gt; SUCCEEDED | FAILED | TIMED_OUT | CANCELLED
 *    │           └──────────────&gt; REJECTED (policy, approval denied, bad input, bad signature)
 *    └─&gt; EXPIRED (expiresAt passed before it started: it never runs)
 * RUNNING ─&gt; LOST (the agent died mid-run; outcome unknown, never silently re-run)
 * </pre>
 *
 * FAILED means the process ran and exited non-zero; REJECTED means it never ran.
 */
public enum CommandStatus {
    QUEUED,
    DELIVERED,
    AWAITING_APPROVAL,
    RUNNING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    CANCELLED,
    REJECTED,
    EXPIRED,
    LOST;

    private static final Set<CommandStatus> TERMINAL =
            EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, REJECTED, EXPIRED, LOST);

    /** A terminal status never changes again; a command has exactly one. */
    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    /** True when the process was started (so the command may have had effects on the host). */
    public boolean hasRun() {
        return this == RUNNING || this == SUCCEEDED || this == FAILED || this == TIMED_OUT
                || this == CANCELLED || this == LOST;
    }

    /**
     * The lifecycle order of the non-terminal states, used to ignore a state change that arrives
     * after a later one (events may arrive out of order).
     */
    public int rank() {
        return switch (this) {
            case QUEUED -> 0;
            case DELIVERED -> 1;
            case AWAITING_APPROVAL -> 2;
            case RUNNING -> 3;
            default -> 4;
        };
    }
}
