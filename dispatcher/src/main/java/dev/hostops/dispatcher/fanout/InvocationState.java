package dev.hostops.dispatcher.fanout;

/**
 * Where one node's invocation of a fan-out request stands when it is not a command:
 * {@code PENDING} (waiting for a concurrency slot), {@code NOT_STARTED} (never dispatched
 * because the error budget was spent) or {@code DISPATCH_FAILED} (its turn came but it could not
 * become a command: its id was taken, or the ledger could not record it; an error, with the
 * invocation's {@code error} saying why). Once dispatched, an invocation shows its command's status.
 */
public enum InvocationState {
    PENDING, NOT_STARTED, DISPATCH_FAILED
}
