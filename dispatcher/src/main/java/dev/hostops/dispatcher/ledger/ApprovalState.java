package dev.hostops.dispatcher.ledger;

/** Where an approval request stands. */
public enum ApprovalState {
    /** The node asked and nobody answered yet. */
    PENDING,
    /** An approver allowed it (once or always). */
    ALLOWED,
    /** An approver denied it. */
    DENIED,
    /**
     * Nobody answered, and the node no longer waits for an answer: the command went on or ended
     * (its {@code askFallback} decided at the deadline, or it was cancelled, expired or lost).
     * Not stored: a PENDING request whose command is RUNNING or terminal reads as this.
     */
    UNANSWERED
}
