package dev.hostops.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of one transport connection.
 *
 * @param clientId          MQTT client id, and the name of the AMQP queue ({@code hostops.client.<clientId>})
 * @param persistentSession keep subscriptions and queued messages while disconnected (MQTT clean start
 *                          false with a session expiry; AMQP a durable, non-exclusive queue)
 * @param sessionExpiry     how long the broker keeps a persistent session after a disconnect (MQTT)
 * @param will              published by the broker when the connection is lost uncleanly (MQTT only)
 * @param keepAlive         keep-alive (MQTT) or heartbeat (AMQP) interval
 * @param reconnectMin      first delay before reconnecting; doubles up to reconnectMax
 * @param publishTimeout    how long a publish may wait for the broker's acknowledgement
 * @param tls               TLS material for mqtts/amqps, or null for the JDK defaults
 * @param prefetch          how many unacknowledged messages the broker may push at once (AMQP; the MQTT
 *                          transport offers the protocol's maximum, see its {@code MqttClients.connect})
 */
public record TransportOptions(
        BrokerUrl url,
        String clientId,
        boolean persistentSession,
        Duration sessionExpiry,
        OutboundMessage will,
        Duration keepAlive,
        Duration connectTimeout,
        Duration reconnectMin,
        Duration reconnectMax,
        Duration publishTimeout,
        TlsOptions tls,
        int prefetch) {

    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofDays(7);
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RECONNECT_MIN = Duration.ofMillis(100);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_PREFETCH = 256;

    public TransportOptions {
        Objects.requireNonNull(url, "url must not be null");
        if (clientId == null || !clientId.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new IllegalArgumentException("clientId must match [A-Za-z0-9_.-]{1,128}, not '" + clientId + "'");
        }
        sessionExpiry = sessionExpiry == null ? DEFAULT_SESSION_EXPIRY : sessionExpiry;
        keepAlive = keepAlive == null ? DEFAULT_KEEP_ALIVE : keepAlive;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        reconnectMin = reconnectMin == null ? DEFAULT_RECONNECT_MIN : reconnectMin;
        reconnectMax = reconnectMax == null ? DEFAULT_RECONNECT_MAX : reconnectMax;
        publishTimeout = publishTimeout == null ? DEFAULT_PUBLISH_TIMEOUT : publishTimeout;
        prefetch = prefetch <= 0 ? DEFAULT_PREFETCH : prefetch;
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax must not be below reconnectMin");
        }
    }

    public static Builder builder(BrokerUrl url, String clientId) {
        return new Builder(url, clientId);
    }

    /** Builder with the defaults above. */
    public static final class Builder {
        private final BrokerUrl url;
        private final String clientId;
        private boolean persistentSession;
        private Duration sessionExpiry;
        private OutboundMessage will;
        private Duration keepAlive;
        private Duration connectTimeout;
        private Duration reconnectMin;
        private Duration reconnectMax;
        private Duration publishTimeout;
        private TlsOptions tls;
        private int prefetch;

        private Builder(BrokerUrl url, String clientId) {
            this.url = url;
            this.clientId = clientId;
        }

        public Builder persistentSession(boolean v) { this.persistentSession = v; return this; }
        public Builder sessionExpiry(Duration v) { this.sessionExpiry = v; return this; }
        public Builder will(OutboundMessage v) { this.will = v; return this; }
        public Builder keepAlive(Duration v) { this.keepAlive = v; return this; }
        public Builder connectTimeout(Duration v) { this.connectTimeout = v; return this; }
        public Builder reconnect(Duration min, Duration max) { this.reconnectMin = min; this.reconnectMax = max; return this; }
        public Builder publishTimeout(Duration v) { this.publishTimeout = v; return this; }
        public Builder tls(TlsOptions v) { this.tls = v; return this; }
        public Builder prefetch(int v) { this.prefetch = v; return this; }

        public TransportOptions build() {
            return new TransportOptions(url, clientId, persistentSession, sessionExpiry, will, keepAlive,
                    connectTimeout, reconnectMin, reconnectMax, publishTimeout, tls, prefetch);
        }
    }
}
