/**
 * The AMQP 0-9-1 transport over the RabbitMQ Java client. {@link dev.hostops.broker.internal.amqp.AmqpTransport}
 * is the entry point; the other types each handle one concern: connection settings, one live
 * connection ({@code AmqpSession}), publisher confirms, the publish buffer, subscriptions and
 * topic-filter matching, reconnect backoff.
 */
package dev.hostops.broker.internal.amqp;
