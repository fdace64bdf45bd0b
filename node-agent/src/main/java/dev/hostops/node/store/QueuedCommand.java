package dev.hostops.node.store;

import java.util.Objects;

/**
 * A claimed command that has not started: what {@link NodeStore#deliveredAfter} reads back when
 * the agent keeps a backlog in the store rather than in memory.
 *
 * @param seq       its place in claim order ({@link Claim.New#seq()})
 * @param commandId the command id
 * @param execJson  the exec message as received
 */
public record QueuedCommand(long seq, String commandId, byte[] execJson) {
    public QueuedCommand {
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(execJson, "execJson must not be null");
    }
}
