package dev.hostops.broker;

import dev.hostops.broker.testing.MosquittoProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport contract over MQTT against a Mosquitto this test starts with the project's
 * configuration (broker/config/mosquitto/mosquitto.conf, on a free port), so it can restart it.
 */
class MqttMosquittoProcessContractTest extends TransportContractSuite {
    @TempDir
    static Path dir;
    private static MosquittoProcess mosquitto;

    @Override
    protected BrokerUrl brokerUrl() {
        synchronized (MqttMosquittoProcessContractTest.class) {
            if (mosquitto == null) {
                mosquitto = MosquittoProcess.start(dir);
            }
        }
        return mosquitto.url();
    }

    @AfterAll
    static void stopMosquitto() {
        if (mosquitto != null) {
            mosquitto.close();
            mosquitto = null;
        }
    }

    @Override
    protected String brokerName() {
        return "Mosquitto process (project config) at " + super.brokerName();
    }

    @Override
    protected boolean canRestartBroker() {
        return true;
    }

    @Override
    protected void stopBroker() {
        mosquitto.stop();
    }

    @Override
    protected void startBroker() {
        mosquitto.start();
    }
}
