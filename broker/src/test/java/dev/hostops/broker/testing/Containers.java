package dev.hostops.broker.testing;

import dev.hostops.broker.BrokerUrl;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Brokers in containers, one of each per test JVM, for machines with Docker but without local
 * brokers. Testcontainers' Ryuk removes them when the JVM exits.
 */
final class Containers {
    static final String MOSQUITTO_IMAGE = "eclipse-mosquitto:2.0.20";
    static final String RABBITMQ_IMAGE = "rabbitmq:3.13-alpine";

    private static GenericContainer<?> mosquitto;
    private static GenericContainer<?> rabbitmq;

    private Containers() {}

    static synchronized BrokerUrl mosquitto() {
        if (mosquitto == null) {
            GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(MOSQUITTO_IMAGE))
                    // the image ships this file: a listener on 1883 with anonymous access
                    .withCommand("mosquitto", "-c", "/mosquitto-no-auth.conf")
                    .withExposedPorts(1883)
                    .waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofSeconds(60)));
            c.start();
            mosquitto = c;
        }
        return new BrokerUrl(BrokerUrl.Scheme.MQTT, mosquitto.getHost(), mosquitto.getMappedPort(1883), null, null, null);
    }

    static synchronized BrokerUrl rabbitmq() {
        if (rabbitmq == null) {
            GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(RABBITMQ_IMAGE))
                    .withExposedPorts(5672)
                    .waitingFor(Wait.forLogMessage(".*Server startup complete.*", 1).withStartupTimeout(Duration.ofSeconds(120)));
            c.start();
            rabbitmq = c;
        }
        return new BrokerUrl(BrokerUrl.Scheme.AMQP, rabbitmq.getHost(), rabbitmq.getMappedPort(5672), "guest", "guest", null);
    }
}
