package dev.hostops.broker.testing;

import dev.hostops.broker.BrokerUrl;
import java.util.Optional;

/**
 * Finds a broker for integration tests, first match wins:
 * <ol>
 *   <li>{@code HOSTOPS_TEST_MQTT_URL} / {@code HOSTOPS_TEST_AMQP_URL};</li>
 *   <li>a local service on 127.0.0.1:1883 (anonymous) / 127.0.0.1:5672 (guest/guest), if it answers;</li>
 *   <li>a Testcontainers container (Mosquitto / RabbitMQ), if Docker is available;</li>
 *   <li>MQTT only: the embedded broker, in this JVM.</li>
 * </ol>
 * In a test, {@link #requireMqtt()} / {@link #requireAmqp()} skip the test when none can be had, or
 * fail it when {@code HOSTOPS_REQUIRE_BROKERS=1} (see {@link Requirement}). Use unique client ids
 * and topics: the local brokers are shared with other people's test runs.
 */
public final class Brokers {
    public static final String MQTT_ENV = "HOSTOPS_TEST_MQTT_URL";
    public static final String AMQP_ENV = "HOSTOPS_TEST_AMQP_URL";

    private Brokers() {}

    /** An MQTT broker, if one can be had; the embedded one as a last resort. */
    public static Optional<BrokerUrl> mqtt() {
        return fromEnv(MQTT_ENV)
                .or(() -> local(BrokerUrl.parse("mqtt://127.0.0.1:1883")))
                .or(() -> Probes.dockerAvailable() ? Optional.of(Containers.mosquitto()) : Optional.empty())
                .or(() -> Optional.of(SharedEmbeddedBroker.url()));
    }

    /** An AMQP 0-9-1 broker (RabbitMQ), if one can be had. */
    public static Optional<BrokerUrl> amqp() {
        return fromEnv(AMQP_ENV)
                .or(() -> local(BrokerUrl.parse("amqp://guest:guest@127.0.0.1:5672")))
                .or(() -> Probes.dockerAvailable() ? Optional.of(Containers.rabbitmq()) : Optional.empty());
    }

    /** The local Mosquitto on 127.0.0.1:1883, only if it answers. */
    public static Optional<BrokerUrl> localMosquitto() {
        return local(BrokerUrl.parse("mqtt://127.0.0.1:1883"));
    }

    /** The JVM's shared embedded MQTT broker (started on first use). */
    public static BrokerUrl embeddedMqtt() {
        return SharedEmbeddedBroker.url();
    }

    public static BrokerUrl requireMqtt() {
        return mqtt().orElseGet(() -> Requirement.missing("no MQTT broker: set " + MQTT_ENV
                + ", run one on 127.0.0.1:1883 or make Docker available"));
    }

    public static BrokerUrl requireAmqp() {
        return amqp().orElseGet(() -> Requirement.missing("no AMQP broker: set " + AMQP_ENV
                + ", run RabbitMQ on 127.0.0.1:5672 (guest/guest) or make Docker available"));
    }

    public static BrokerUrl requireLocalMosquitto() {
        return localMosquitto().orElseGet(() -> Requirement.missing("no Mosquitto answering on 127.0.0.1:1883"));
    }

    private static Optional<BrokerUrl> fromEnv(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(BrokerUrl.parse(v));
    }

    private static Optional<BrokerUrl> local(BrokerUrl url) {
        return Probes.answers(url.host(), url.port()) ? Optional.of(url) : Optional.empty();
    }
}
