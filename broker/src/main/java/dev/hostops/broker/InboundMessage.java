package dev.hostops.broker;

/**
 * A message received on a subscription.
 *
 * @param retained    true when the broker delivered it from its retained store (MQTT)
 * @param redelivered true when the broker says it may have been delivered before
 */
public record InboundMessage(String topic, byte[] payload, boolean retained, boolean redelivered) {}
