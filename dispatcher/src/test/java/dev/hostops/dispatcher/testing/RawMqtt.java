package dev.hostops.dispatcher.testing;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.hostops.broker.BrokerUrl;
import java.util.UUID;

/** A plain MQTT client, not the project's transport, publishing bytes as mosquitto_pub or a Tier 2 script would. */
public final class RawMqtt {
    private RawMqtt() {}

    /** Connects, publishes each payload with QoS 1 (returning after each PUBACK), disconnects. */
    public static void publish(BrokerUrl url, String topic, byte[]... payloads) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5()
                .identifier("raw-" + UUID.randomUUID().toString().substring(0, 8))
                .serverHost(url.host()).serverPort(url.port())
                .buildBlocking();
        client.connect();
        try {
            for (byte[] payload : payloads) {
                client.publishWith().topic(topic).payload(payload).qos(MqttQos.AT_LEAST_ONCE).send();
            }
        } finally {
            client.disconnect();
        }
    }
}
