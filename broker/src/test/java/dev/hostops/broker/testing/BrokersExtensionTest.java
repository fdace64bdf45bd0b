package dev.hostops.broker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.BrokerUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BrokersExtension.class)
class BrokersExtensionTest {
    @Test
    void resolvesAnMqttBrokerThatAnswers(@MqttBroker BrokerUrl url) {
        assertThat(url.scheme().isMqtt()).isTrue();
        assertThat(Probes.answers(url.host(), url.port())).isTrue();
        System.out.println("[brokers] MQTT for tests: " + url);
    }

    @Test
    void resolvesAnAmqpBrokerThatAnswers(@AmqpBroker BrokerUrl url) {
        assertThat(url.scheme()).isEqualTo(BrokerUrl.Scheme.AMQP);
        assertThat(Probes.answers(url.host(), url.port())).isTrue();
        System.out.println("[brokers] AMQP for tests: " + url);
    }

    @Test
    void dockerCheckIsCheapAndNeverThrows() {
        long start = System.nanoTime();
        boolean docker = Probes.dockerAvailable();
        System.out.println("[brokers] docker available: " + docker + " (checked in " + (System.nanoTime() - start) / 1_000_000 + " ms)");
    }
}
