package dev.hostops.broker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.AccessRefusedException;
import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.InboundMessage;
import dev.hostops.broker.MessageHandler;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Clients that probe a broker's ACL: what a user may read, and which publishes it refuses. */
public final class AclProbe {
    private AclProbe() {}

    /** An MQTT client of {@code user} on 127.0.0.1:{@code port}, not connected yet; added to {@code tracked} for closing. */
    public static Transport client(int port, String user, String password, List<Transport> tracked) {
        BrokerUrl url = new BrokerUrl(BrokerUrl.Scheme.MQTT, "127.0.0.1", port, user, password, null);
        Transport t = Transports.create(TransportOptions.builder(url, (user == null ? "anon" : user) + "-" + UUID.randomUUID())
                .connectTimeout(Duration.ofSeconds(5)).build());
        tracked.add(t);
        return t;
    }

    /** Connects and returns once the broker has the subscription (SUBACK), so nothing sent after is missed. */
    public static Transport connect(Transport t, String filter, Inbox inbox) throws Exception {
        CompletableFuture<Void> subscribed = filter == null
                ? CompletableFuture.completedFuture(null)
                : t.subscribe(filter, Qos.AT_LEAST_ONCE, inbox);
        t.connect().get(20, TimeUnit.SECONDS);
        subscribed.get(20, TimeUnit.SECONDS);
        return t;
    }

    /**
     * A publish the ACL forbids: Mosquitto 2 answers an MQTT 5 client with PUBACK 0x87 (not
     * authorized), which the transport reports as an {@link AccessRefusedException}.
     */
    public static void refused(Transport t, String topic, String text) {
        assertThat(t.publish(OutboundMessage.reliable(topic, text.getBytes(StandardCharsets.UTF_8))))
                .failsWithin(Duration.ofSeconds(20))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(AccessRefusedException.class)
                .withMessageContaining("0x87");
    }

    /** The texts a subscription received, in order. */
    public static final class Inbox implements MessageHandler {
        private final List<String> texts = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(InboundMessage m) {
            texts.add(new String(m.payload(), StandardCharsets.UTF_8));
        }

        public List<String> texts() {
            return texts;
        }
    }
}
