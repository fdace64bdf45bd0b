/**
 * The node agent: the host daemon that consumes exec commands for one node, enforces the host's
 * own policy, runs programs without a shell, streams their output and publishes one result per
 * command, exactly once across redeliveries and restarts. Start one with {@link dev.hostops.node.NodeAgent}.
 */
package dev.hostops.node;
