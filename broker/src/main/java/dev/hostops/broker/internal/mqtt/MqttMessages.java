package dev.hostops.broker.internal.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import dev.hostops.broker.InboundMessage;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import java.time.Duration;

/** Conversions between hostops messages and the HiveMQ client's. */
final class MqttMessages {
    private MqttMessages() {}

    /** The largest MQTT 5 message expiry interval, in seconds (a four-byte unsigned integer). */
    static final long MAX_EXPIRY_INTERVAL = 0xFFFF_FFFFL;

    static Mqtt5Publish toPublish(OutboundMessage m) {
        Mqtt5PublishBuilder.Complete b = Mqtt5Publish.builder()
                .topic(m.topic())
                .payload(m.payload())
                .qos(qos(m.qos()))
                .retain(m.retain());
        Duration expiry = m.expiry();
        if (expiry != null) {
            // MQTT 5 message expiry interval, whole seconds; round up so "500 ms" does not mean "never".
            // The interval is a four-byte integer (about 136 years): a longer expiry goes without one, and
            // the node still refuses the command after its expiresAt, the deadline that counts.
            long seconds = expiry.getSeconds() + (expiry.getNano() > 0 ? 1 : 0);
            if (seconds <= MAX_EXPIRY_INTERVAL) {
                b = b.messageExpiryInterval(Math.max(1L, seconds));
            }
        }
        return b.build();
    }

    /**
     * The HiveMQ client does not pass the DUP flag on, so {@code redelivered} is always false over
     * MQTT. Redelivery is still real (acks go out only after the handler); consumers dedupe by
     * message id, as the design requires anyway.
     */
    static InboundMessage toInbound(Mqtt5Publish p) {
        return new InboundMessage(p.getTopic().toString(), p.getPayloadAsBytes(), p.isRetain(), false);
    }

    static MqttQos qos(Qos q) {
        return q == Qos.AT_LEAST_ONCE ? MqttQos.AT_LEAST_ONCE : MqttQos.AT_MOST_ONCE;
    }
}
