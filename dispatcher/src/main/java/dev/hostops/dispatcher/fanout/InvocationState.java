package dev.hostops.dispatcher.fanout;

/**
 * Where one node's invocation of a fan-out request stands, before it becomes a command:
 * {@code PENDING} (waiting for a concurrency slot) or {@code NOT_STARTED} (never dispatched
 * because the error budget was spent). Once dispatched, an invocation shows its command's status.
 */
public enum InvocationState {
    PENDING, NOT_STARTED
}
