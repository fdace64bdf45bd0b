package dev.hostops.dispatcher.ledger;

import java.time.Instant;

/**
 * When a command entered each state; null when it never did (or the ledger has not heard yet).
 *
 * @param queued           when the exec was recorded (API submit or seen on the broker)
 * @param delivered        the node's DELIVERED state change
 * @param awaitingApproval the node's AWAITING_APPROVAL state change
 * @param running          the node's RUNNING state change
 * @param started          the result's startedAt (the process start as the node measured it)
 * @param finished         the result's finishedAt, or when the dispatcher declared EXPIRED or LOST
 */
public record StateTimes(Instant queued, Instant delivered, Instant awaitingApproval, Instant running,
                         Instant started, Instant finished) {
}
