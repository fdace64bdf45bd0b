package dev.hostops.broker.internal.mqtt;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;

/**
 * One live connection: a Paho client used for exactly one network connection, its sockets, and
 * how many unacknowledged QoS 1 publishes the broker accepts at once (its Receive Maximum; Paho
 * throws instead of waiting when it is exceeded), and whether it supports subscription identifiers.
 */
record PahoConnection(MqttAsyncClient client, LiveSockets sockets, int window, boolean subscriptionIdentifiers) {}
