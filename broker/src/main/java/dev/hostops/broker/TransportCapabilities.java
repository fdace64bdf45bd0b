package dev.hostops.broker;

/**
 * What a transport can do natively. AMQP 0-9-1 has neither retained messages nor a last will:
 * there presence is kept alive by periodic heartbeats and an offline message on a clean stop.
 */
public record TransportCapabilities(boolean retainedMessages, boolean lastWill) {}
