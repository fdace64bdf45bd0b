package dev.hostops.node.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * A message that must reach the broker even if the agent or the broker stops first: published
 * from the durable outbox, removed only after the broker acknowledged it.
 *
 * @param topic   the MQTT topic (the AMQP routing key is derived from it by the transport)
 * @param payload the exact bytes to publish; copied in and out, so the entry is immutable
 * @param retain  whether the broker should retain it (presence)
 */
public record OutboxEntry(String topic, byte[] payload, boolean retain) {
    public OutboxEntry {
        Objects.requireNonNull(topic, "topic must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        if (topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboxEntry other && topic.equals(other.topic) && retain == other.retain
                && Arrays.equals(payload, other.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, retain, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "OutboxEntry[topic=" + topic + ", payload=" + payload.length + " bytes, retain=" + retain + "]";
    }
}
