package dev.hostops.broker;

/** Creates the transport for a broker URL's scheme. */
public final class Transports {
    private Transports() {}

    public static Transport create(TransportOptions options) {
        return options.url().scheme().isMqtt()
                ? new dev.hostops.broker.internal.mqtt.MqttTransport(options)
                : new dev.hostops.broker.internal.amqp.AmqpTransport(options);
    }
}
