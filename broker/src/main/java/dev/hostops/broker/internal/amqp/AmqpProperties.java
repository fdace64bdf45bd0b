package dev.hostops.broker.internal.amqp;

import com.rabbitmq.client.AMQP;
import java.time.Duration;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;

/** AMQP message properties for an {@link OutboundMessage}. */
final class AmqpProperties {
    static final int TRANSIENT = 1;
    static final int PERSISTENT = 2;
    /**
     * The longest per-message TTL RabbitMQ takes, in milliseconds (about 49.7 days); a longer one closes the
     * channel with PRECONDITION_FAILED. A message that should live longer goes without a TTL: the node still
     * refuses it after its expiresAt, which is the deadline that counts; the TTL only spares the queue.
     */
    static final long MAX_TTL_MS = 0xFFFF_FFFFL;

    private AmqpProperties() {}

    /**
     * QoS 1 is persistent (survives a broker restart in a durable queue); the expiry becomes the
     * per-message TTL, after which RabbitMQ drops the message instead of delivering it (none past
     * {@link #MAX_TTL_MS}).
     */
    static AMQP.BasicProperties of(OutboundMessage m) {
        AMQP.BasicProperties.Builder b = new AMQP.BasicProperties.Builder()
                .deliveryMode(m.qos() == Qos.AT_LEAST_ONCE ? PERSISTENT : TRANSIENT);
        if (m.expiry() != null && m.expiry().compareTo(Duration.ofMillis(MAX_TTL_MS)) <= 0) {
            b.expiration(Long.toString(Math.max(1, m.expiry().toMillis())));
        }
        return b.build();
    }
}
