package dev.hostops.contracts.message;

/**
 * One hostops message. On the wire every message also carries {@code "v": 1} and its
 * {@code "type"}; the codec writes and checks both, the records do not hold them.
 */
public sealed interface Message
        permits Exec, Cancel, ApprovalRequest, ApprovalDecision, Presence, StateChange, LogChunk, Result {

    /** The command id (the dedupe key); for presence, the agent session's id. */
    String id();

    /** The node the message is addressed to or comes from. */
    String node();

    /** The wire name of this message's type. */
    default String type() {
        return MessageType.of(getClass()).wire();
    }
}
