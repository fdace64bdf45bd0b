package dev.hostops.broker.internal.mqtt;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.internal.tls.PemSslContexts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

/** Translates {@link TransportOptions} into Paho's connect options, for one connection attempt. */
final class PahoConnectOptions {
    private PahoConnectOptions() {}

    /**
     * @param sslFactory the TLS socket factory built once per transport, or null for plain TCP
     * @param live       where the attempt's sockets are tracked
     */
    static MqttConnectionOptions build(TransportOptions options, SSLSocketFactory sslFactory, LiveSockets live) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        BrokerUrl url = options.url();
        o.setServerURIs(new String[] {url.pahoServerUri()});
        // Reconnecting is ours: a fresh Paho client per attempt avoids Paho's reconnect state quirks.
        o.setAutomaticReconnect(false);
        o.setCleanStart(!options.persistentSession());
        o.setSessionExpiryInterval(options.persistentSession() ? options.sessionExpiry().toSeconds() : 0L);
        o.setKeepAliveInterval(seconds(options.keepAlive()));
        o.setConnectionTimeout(seconds(options.connectTimeout()));
        o.setReceiveMaximum(Math.min(options.prefetch(), 65535));
        // We set our own subscription identifiers (see Subscriptions) and route messages ourselves;
        // Paho's automatic ones only work with its per-subscription listeners.
        o.setUseSubscriptionIdentifiers(false);
        if (url.username() != null) {
            o.setUserName(url.username());
        }
        if (url.password() != null) {
            o.setPassword(url.password().getBytes(StandardCharsets.UTF_8));
        }
        OutboundMessage will = options.will();
        if (will != null) {
            o.setWill(will.topic(), MqttMessages.toPaho(will));
        }
        o.setSocketFactory(sslFactory == null ? new NoDelaySocketFactory(live) : new NoDelaySslSocketFactory(sslFactory, live));
        return o;
    }

    /** The TLS socket factory for an mqtts URL, or null for mqtt. */
    static SSLSocketFactory sslFactory(TransportOptions options) {
        return options.url().scheme().tls() ? PemSslContexts.create(options.tls()).getSocketFactory() : null;
    }

    /** Paho takes whole seconds; round up so a sub-second setting does not become "disabled" (0). */
    private static int seconds(Duration d) {
        long ms = d.toMillis();
        return (int) Math.max(1, (ms + 999) / 1000);
    }
}
