package dev.hostops.broker.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import io.reactivex.Flowable;
import org.junit.jupiter.api.Test;

/**
 * Loading the MQTT transport gives the client's publish flows room to hand messages over
 * (RxJavaSetup says why), before anything reads RxJava's buffer size.
 */
class RxJavaSetupTest {

    @Test
    void anMqttTransportLeavesRxJavaWithTheLargeHandOverBuffer() {
        try (Transport t = Transports.create(TransportOptions.builder(BrokerUrl.parse("mqtt://127.0.0.1:1"), "rx-setup").build())) {
            assertThat(t).isInstanceOf(MqttTransport.class);
            assertThat(Flowable.bufferSize()).isEqualTo(RxJavaSetup.HANDOVER_BUFFER);
        }
    }
}
