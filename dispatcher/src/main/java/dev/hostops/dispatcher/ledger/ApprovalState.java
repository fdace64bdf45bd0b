package dev.hostops.dispatcher.ledger;

/** Where an approval request stands. */
public enum ApprovalState {
    /** The node asked and nobody answered yet. */
    PENDING,
    /** An approver allowed it (once or always). */
    ALLOWED,
    /** An approver denied it. */
    DENIED
}
