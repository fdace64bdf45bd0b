/**
 * The hostops wire contract, version 1: the messages that travel between orchestrators,
 * the dispatcher and node agents, their JSON codec, the topic names and the error codes.
 *
 * <p>The contract is public (see DESIGN.md): it may only grow by optional fields.
 */
package dev.hostops.contracts;
