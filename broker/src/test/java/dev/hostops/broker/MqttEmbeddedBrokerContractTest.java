package dev.hostops.broker;

import dev.hostops.broker.testing.EmbeddedBrokerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The transport contract over MQTT against the embedded HiveMQ broker, which this test owns and restarts. */
class MqttEmbeddedBrokerContractTest extends TransportContractSuite {
    @RegisterExtension
    static final EmbeddedBrokerExtension BROKER = new EmbeddedBrokerExtension();

    @Override
    protected BrokerUrl brokerUrl() {
        return BROKER.url();
    }

    @Override
    protected String brokerName() {
        return "embedded HiveMQ CE at " + BROKER.url();
    }

    @Override
    protected boolean canRestartBroker() {
        return true;
    }

    @Override
    protected void stopBroker() {
        BROKER.broker().stop();
    }

    @Override
    protected void startBroker() {
        BROKER.broker().start();
    }
}
