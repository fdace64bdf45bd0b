package dev.hostops.broker.internal.mqtt;

import dev.hostops.broker.OutboundMessage;
import java.time.Duration;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Conversions between hostops messages and Paho's. */
final class MqttMessages {
    private MqttMessages() {}

    static MqttMessage toPaho(OutboundMessage m) {
        MqttProperties props = new MqttProperties();
        Duration expiry = m.expiry();
        if (expiry != null) {
            // MQTT 5 message expiry interval, whole seconds; round up so "500 ms" does not mean "never".
            props.setMessageExpiryInterval(Math.max(1L, (expiry.toMillis() + 999) / 1000));
        }
        return new MqttMessage(m.payload(), m.qos().level(), m.retain(), props);
    }
}
