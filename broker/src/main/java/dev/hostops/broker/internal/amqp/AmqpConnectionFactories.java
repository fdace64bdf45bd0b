package dev.hostops.broker.internal.amqp;

import com.rabbitmq.client.ConnectionFactory;
import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.internal.tls.PemSslContexts;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Turns {@link TransportOptions} into a RabbitMQ {@link ConnectionFactory}. */
final class AmqpConnectionFactories {
    private AmqpConnectionFactories() {}

    static ConnectionFactory create(TransportOptions options) {
        BrokerUrl url = options.url();
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(url.host());
        f.setPort(url.port());
        f.setVirtualHost(url.virtualHost());
        // Without credentials in the URL the client's defaults apply (guest/guest, which RabbitMQ
        // accepts only from localhost).
        if (url.username() != null) {
            f.setUsername(url.username());
        }
        if (url.password() != null) {
            f.setPassword(url.password());
        }
        f.setRequestedHeartbeat(seconds(options.keepAlive()));
        f.setConnectionTimeout(millis(options.connectTimeout()));
        f.setHandshakeTimeout(millis(options.connectTimeout()));
        f.setChannelRpcTimeout(Math.max(millis(options.connectTimeout()), 1000));
        // The transport reconnects, redeclares and republishes itself: the client's automatic
        // recovery would replay channels under us and restart publisher sequence numbers, which
        // makes confirms ambiguous across a reconnect.
        f.setAutomaticRecoveryEnabled(false);
        f.setTopologyRecoveryEnabled(false);
        f.setThreadFactory(threads("hostops-amqp-" + options.clientId()));
        if (url.scheme().tls()) {
            f.useSslProtocol(PemSslContexts.create(options.tls()));
            f.enableHostnameVerification();
        }
        return f;
    }

    private static int seconds(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toSeconds()));
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
