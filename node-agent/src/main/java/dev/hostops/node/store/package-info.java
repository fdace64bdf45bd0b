/**
 * The node agent's durable state: command ids seen (dedupe, at most once execution) and the
 * outbox (no lost result). Start at {@link dev.hostops.node.store.NodeStore}; everything under
 * {@code internal} is a detail.
 */
package dev.hostops.node.store;
