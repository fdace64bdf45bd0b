package dev.hostops.dispatcher.fanout;

import dev.hostops.dispatcher.ledger.CommandView;

/**
 * One node of a fan-out request.
 *
 * @param status    the command's status once dispatched, else PENDING or NOT_STARTED
 * @param command   the command as the ledger has it, or null before dispatch
 */
public record Invocation(String node, String commandId, String status, CommandView command) {}
