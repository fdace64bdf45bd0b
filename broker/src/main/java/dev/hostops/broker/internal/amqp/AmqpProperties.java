package dev.hostops.broker.internal.amqp;

import com.rabbitmq.client.AMQP;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;

/** AMQP message properties for an {@link OutboundMessage}. */
final class AmqpProperties {
    static final int TRANSIENT = 1;
    static final int PERSISTENT = 2;

    private AmqpProperties() {}

    /**
     * QoS 1 is persistent (survives a broker restart in a durable queue); the expiry becomes the
     * per-message TTL, after which RabbitMQ drops the message instead of delivering it.
     */
    static AMQP.BasicProperties of(OutboundMessage m) {
        AMQP.BasicProperties.Builder b = new AMQP.BasicProperties.Builder()
                .deliveryMode(m.qos() == Qos.AT_LEAST_ONCE ? PERSISTENT : TRANSIENT);
        if (m.expiry() != null) {
            b.expiration(Long.toString(Math.max(1, m.expiry().toMillis())));
        }
        return b.build();
    }
}
