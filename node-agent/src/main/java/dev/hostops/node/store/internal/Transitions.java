package dev.hostops.node.store.internal;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.node.store.StoreException;
import java.util.Objects;

/**
 * The state changes the node store allows, as pure functions of the stored state. The store
 * checks them inside the write transaction, so the check and the change are one atomic step.
 *
 * <pre>
 * DELIVERED ─&gt; AWAITING_APPROVAL ─&gt; RUNNING (pid unknown) ─&gt; RUNNING (pid) ─&gt; SUCCEEDED | FAILED | TIMED_OUT | CANCELLED | LOST
 *     │                │                   │     (starting is the at-most-once gate: only once per id)
 *     └────────────────┴───────────────────┴──&gt; REJECTED | EXPIRED | CANCELLED   (never ran; from
 *                                                 RUNNING only while no pid is recorded: the spawn failed)
 * </pre>
 */
public final class Transitions {
    /** What to do with a request, given the stored state. */
    public enum Outcome { APPLY, ALREADY_DONE }

    private Transitions() {}

    public static Outcome toAwaitingApproval(String id, CommandStatus current) throws StoreException {
        if (current == CommandStatus.AWAITING_APPROVAL) {
            return Outcome.ALREADY_DONE;
        }
        if (current == CommandStatus.DELIVERED) {
            return Outcome.APPLY;
        }
        throw illegal(id, current, "wait for approval");
    }

    /** Starting (pid not yet known) is allowed once: a second start is the double execution we prevent. */
    public static Outcome toStarting(String id, CommandStatus current) throws StoreException {
        if (current == CommandStatus.DELIVERED || current == CommandStatus.AWAITING_APPROVAL) {
            return Outcome.APPLY;
        }
        throw illegal(id, current, "start");
    }

    /** Recording the pid: from a not-yet-started state, or once after {@link #toStarting}. */
    public static Outcome toRunning(String id, CommandStatus current, Long storedPid, long pid) throws StoreException {
        if (current == CommandStatus.DELIVERED || current == CommandStatus.AWAITING_APPROVAL) {
            return Outcome.APPLY;
        }
        if (current == CommandStatus.RUNNING) {
            if (storedPid == null) {
                return Outcome.APPLY;
            }
            if (storedPid == pid) {
                return Outcome.ALREADY_DONE;
            }
            throw new StoreException(StoreException.Code.ILLEGAL_TRANSITION, "command " + id + " is already running as pid "
                    + storedPid + "; it cannot also run as pid " + pid);
        }
        throw illegal(id, current, "mark running");
    }

    /**
     * Completing: ignored when already terminal (a result is written once). A result that says the
     * command ran needs a command that was started; one that says it never ran (REJECTED, EXPIRED)
     * needs one whose process never existed: not started, or started without a recorded pid (the
     * spawn itself failed). So a stored result never hides an execution or invents one.
     */
    public static Outcome toTerminal(String id, CommandStatus current, Long storedPid, CommandStatus result)
            throws StoreException {
        Objects.requireNonNull(result, "result status must not be null");
        if (current.isTerminal()) {
            return Outcome.ALREADY_DONE;
        }
        boolean started = current == CommandStatus.RUNNING;
        boolean processExisted = started && storedPid != null;
        boolean neverRunResult = result == CommandStatus.REJECTED || result == CommandStatus.EXPIRED;
        boolean ranResult = result != CommandStatus.CANCELLED && !neverRunResult;
        if (processExisted && neverRunResult) {
            throw new StoreException(StoreException.Code.ILLEGAL_TRANSITION, "command " + id + " runs as pid " + storedPid
                    + ", so its result cannot be " + result + " (a status for commands that never ran)");
        }
        if (!started && ranResult) {
            throw new StoreException(StoreException.Code.ILLEGAL_TRANSITION, "command " + id + " is " + current
                    + " and never started, so its result cannot be " + result);
        }
        return Outcome.APPLY;
    }

    private static StoreException illegal(String id, CommandStatus current, String action) {
        String why = current.isTerminal() ? "it is finished (" + current + ")" : "it is " + current;
        return new StoreException(StoreException.Code.ILLEGAL_TRANSITION, "cannot " + action + " command " + id + ": " + why);
    }
}
