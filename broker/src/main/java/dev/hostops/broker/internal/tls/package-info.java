/** TLS set-up shared by the MQTT and AMQP transports: PEM files to an {@link javax.net.ssl.SSLContext}. */
package dev.hostops.broker.internal.tls;
