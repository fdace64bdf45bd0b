package dev.hostops.dispatcher.ledger;

import dev.hostops.contracts.CommandStatus;

/**
 * A filter for {@link Ledger#commands}: every non-null field must match. Results are newest first.
 *
 * @param limit at most this many rows, 1 to {@value #MAX_LIMIT}
 */
public record CommandQuery(String node, CommandStatus status, String requestId, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    public CommandQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
    }

    /** The newest {@value #DEFAULT_LIMIT} commands of any node and status. */
    public static CommandQuery all() {
        return new CommandQuery(null, null, null, DEFAULT_LIMIT);
    }

    public CommandQuery withNode(String n) {
        return new CommandQuery(n, status, requestId, limit);
    }

    public CommandQuery withStatus(CommandStatus s) {
        return new CommandQuery(node, s, requestId, limit);
    }

    public CommandQuery withRequestId(String r) {
        return new CommandQuery(node, status, r, limit);
    }

    public CommandQuery withLimit(int l) {
        return new CommandQuery(node, status, requestId, l);
    }
}
