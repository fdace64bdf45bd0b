package dev.hostops.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * A message to publish.
 *
 * @param expiry how long the broker may keep it undelivered (MQTT 5 message expiry interval, AMQP
 *               per-message TTL); null means no expiry
 */
public record OutboundMessage(String topic, byte[] payload, Qos qos, boolean retain, Duration expiry) {
    public OutboundMessage {
        Objects.requireNonNull(topic, "topic must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        Objects.requireNonNull(qos, "qos must not be null");
        if (topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
            throw new IllegalArgumentException("topic must be a non-empty name without wildcards, not '" + topic + "'");
        }
        if (expiry != null && (expiry.isNegative() || expiry.isZero())) {
            throw new IllegalArgumentException("expiry must be positive");
        }
    }

    /** QoS 1, not retained, no expiry: the usual hostops message. */
    public static OutboundMessage reliable(String topic, byte[] payload) {
        return new OutboundMessage(topic, payload, Qos.AT_LEAST_ONCE, false, null);
    }

    /** QoS 1 and retained: presence. */
    public static OutboundMessage retained(String topic, byte[] payload) {
        return new OutboundMessage(topic, payload, Qos.AT_LEAST_ONCE, true, null);
    }

    public OutboundMessage withExpiry(Duration d) {
        return new OutboundMessage(topic, payload, qos, retain, d);
    }
}
