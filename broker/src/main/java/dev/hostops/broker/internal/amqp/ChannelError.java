package dev.hostops.broker.internal.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Why the broker closed a channel (the connection stays up), e.g. {@code 403 ACCESS_REFUSED -
 * write access to topic 'hostops.v1.node.X.cmd' in exchange 'amq.topic' ... refused}: topic
 * permissions that do not allow a routing key. Such an error is final for that message or
 * binding: retrying it on a new connection would only fail again.
 */
record ChannelError(int code, String text) {

    /** From a channel's shutdown signal; null if the whole connection went down. */
    static ChannelError of(ShutdownSignalException e) {
        if (e == null || e.isHardError()) {
            return null;
        }
        if (e.getReason() instanceof AMQP.Channel.Close close) {
            return new ChannelError(close.getReplyCode(), close.getReplyText());
        }
        return new ChannelError(0, String.valueOf(e.getMessage()));
    }

    /** From the exception of a synchronous call (queue.declare, queue.bind); null if not a channel error. */
    static ChannelError of(Exception e) {
        Throwable c = e instanceof ShutdownSignalException ? e : e.getCause();
        return c instanceof ShutdownSignalException sse ? of(sse) : null;
    }

    boolean accessRefused() {
        return code == AMQP.ACCESS_REFUSED;
    }

    /** True when the user may not publish to the exchange at all: every publish would be refused. */
    boolean refusesEveryPublish() {
        return accessRefused() && text.contains("access to exchange '");
    }

    /** True when the broker's text names this routing key or binding key, as RabbitMQ's topic checks do. */
    boolean names(String key) {
        return text.contains("'" + key + "'");
    }
}
