package dev.hostops.broker.internal.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedListener;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.internal.tls.PemSslContexts;
import io.reactivex.schedulers.Schedulers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** Translates {@link TransportOptions} into a HiveMQ MQTT 5 client and its CONNECT. */
final class MqttClients {
    private static final long MAX_SESSION_EXPIRY_SECONDS = 0xFFFF_FFFFL;
    private static final int MAX_KEEP_ALIVE_SECONDS = 0xFFFF;
    private static final int RECEIVE_MAXIMUM = 0xFFFF;

    private MqttClients() {}

    /**
     * A client that is not connected yet. It reconnects only when {@code disconnected} tells its
     * reconnector to. Its network I/O runs on one Netty thread that {@code ioThreads} starts; its
     * callbacks (futures, listeners, received messages) run on that thread too, so the caller moves
     * anything slow or blocking elsewhere. Sockets get TCP_NODELAY: the client sets no socket
     * options, and Netty's default for TCP channels is on.
     *
     * @throws dev.hostops.broker.TransportException when the TLS files cannot be read
     */
    static Mqtt5AsyncClient build(TransportOptions options, Executor ioThreads,
            MqttClientConnectedListener connected, MqttClientDisconnectedListener disconnected) {
        BrokerUrl url = options.url();
        long connectTimeoutMs = options.connectTimeout().toMillis();
        Mqtt5ClientBuilder b = MqttClient.builder()
                .useMqttVersion5()
                .identifier(options.clientId())
                .transportConfig(MqttClientTransportConfig.builder()
                        .serverHost(unbracketed(url.host()))
                        .serverPort(url.port())
                        .sslConfig(url.scheme().tls() ? ssl(options) : null)
                        .socketConnectTimeout(connectTimeoutMs, TimeUnit.MILLISECONDS)
                        .mqttConnectTimeout(connectTimeoutMs, TimeUnit.MILLISECONDS)
                        .build())
                .executorConfig(MqttClientExecutorConfig.builder()
                        .nettyExecutor(ioThreads)
                        .nettyThreads(1)
                        // Run the client's callbacks where they happen (its I/O thread) instead of on
                        // RxJava's computation pool (a thread per core): the transport hands work to
                        // its own threads itself.
                        .applicationScheduler(Schedulers.from(Runnable::run))
                        .build())
                .addConnectedListener(connected)
                .addDisconnectedListener(disconnected);
        if (url.username() != null || url.password() != null) {
            b = b.simpleAuth(simpleAuth(url));
        }
        if (options.will() != null) {
            b = b.willPublish(MqttMessages.toPublish(options.will()).asWill());
        }
        return b.buildAsync();
    }

    /**
     * Sends CONNECT. A persistent session is clean start false with the session expiry of the
     * options, so the broker keeps subscriptions and queued messages while the client is away; the
     * client's reconnects repeat these settings.
     *
     * <p>Receive Maximum is the protocol's largest, not the prefetch of the options: the HiveMQ client
     * drops the connection (reason code 0x93) as soon as the broker has more unacknowledged messages
     * out to it than that, and Mosquitto 2.0 sends more whenever messages have queued up for a client
     * (measured on 2.0.11: 19 in flight against a Receive Maximum of 10; 10,255 against 256). With a
     * small value every burst would end in a reconnect; the old Paho client never checked. Broker
     * queue limits (Mosquitto's max_queued_messages) bound what can be in flight instead.
     */
    static CompletableFuture<Mqtt5ConnAck> connect(Mqtt5AsyncClient client, TransportOptions options) {
        boolean persistent = options.persistentSession();
        return client.connectWith()
                .cleanStart(!persistent)
                .sessionExpiryInterval(persistent ? Math.min(options.sessionExpiry().toSeconds(), MAX_SESSION_EXPIRY_SECONDS) : 0)
                .keepAlive((int) Math.min(seconds(options.keepAlive()), MAX_KEEP_ALIVE_SECONDS))
                .restrictions().receiveMaximum(RECEIVE_MAXIMUM).applyRestrictions()
                .send();
    }

    private static MqttClientSslConfig ssl(TransportOptions options) {
        PemSslContexts.Managers m = PemSslContexts.managers(options.tls());
        return MqttClientSslConfig.builder()
                .trustManagerFactory(m.trust())
                .keyManagerFactory(m.keys())
                .handshakeTimeout(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(); // no hostname verifier given: the client verifies the server's name as HTTPS does
    }

    private static Mqtt5SimpleAuth simpleAuth(BrokerUrl url) {
        Mqtt5SimpleAuthBuilder.Complete auth = url.username() != null
                ? Mqtt5SimpleAuth.builder().username(url.username())
                : Mqtt5SimpleAuth.builder().password(url.password().getBytes(StandardCharsets.UTF_8));
        if (url.username() != null && url.password() != null) {
            auth = auth.password(url.password().getBytes(StandardCharsets.UTF_8));
        }
        return auth.build();
    }

    /** {@link java.net.URI} keeps the brackets of an IPv6 literal; the client wants the bare address. */
    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** MQTT takes whole seconds; round up so a sub-second setting does not become "disabled" (0). */
    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
