package dev.hostops.broker;

/**
 * Receives messages of a subscription. The message is acknowledged to the broker when the
 * handler returns, so a handler that durably records what it got before returning never loses it.
 * An exception is logged by the transport and the message acknowledged anyway: one bad message
 * must not block the subscription forever.
 */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(InboundMessage message) throws Exception;
}
