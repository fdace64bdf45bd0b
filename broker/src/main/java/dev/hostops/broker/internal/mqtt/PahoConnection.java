package dev.hostops.broker.internal.mqtt;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;

/**
 * One live connection: a Paho client used for exactly one network connection, its sockets, and
 * how many unacknowledged QoS 1 publishes the broker accepts at once (its Receive Maximum; Paho
 * throws instead of waiting when it is exceeded), and whether it supports subscription identifiers.
 */
/*
 * @param maxPacketBytes the broker's Maximum Packet Size from its CONNACK (Long.MAX_VALUE when it set none)
 */
record PahoConnection(MqttAsyncClient client, LiveSockets sockets, int window, boolean subscriptionIdentifiers,
                      long maxPacketBytes) {
    /** A generous bound on a PUBLISH packet's size beyond its topic and payload (header, properties). */
    static final int PUBLISH_OVERHEAD = 64;

    boolean fits(String topic, byte[] payload) {
        return (long) payload.length + topic.length() * 4L + PUBLISH_OVERHEAD <= maxPacketBytes;
    }
}
