package dev.hostops.broker;

/**
 * What a transport can do natively. AMQP 0-9-1 has neither retained messages nor a last will:
 * there presence is kept alive by periodic heartbeats and an offline message on a clean stop.
 *
 * @param noLocal {@link Transport#subscribeToOthers} keeps this transport's own publications away
 *                (MQTT 5's No Local subscription option): the broker does not send them back. RabbitMQ
 *                does not implement AMQP 0-9-1's no-local consume flag, so there they still arrive.
 */
public record TransportCapabilities(boolean retainedMessages, boolean lastWill, boolean noLocal) {}
