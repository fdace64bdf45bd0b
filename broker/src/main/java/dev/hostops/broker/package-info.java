/**
 * The transport API that node agents and the dispatcher share: connect, publish (QoS, retain,
 * expiry), subscribe with a handler, persistent session or durable queue, last will, and
 * connection state. Implementations live under {@code internal}; create one with
 * {@link dev.hostops.broker.Transports#create}.
 */
package dev.hostops.broker;
