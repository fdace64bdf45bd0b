package dev.hostops.broker;

import dev.hostops.broker.testing.Brokers;

/** The transport contract over MQTT against the shared Mosquitto on 127.0.0.1:1883 (never restarted). */
class MqttLocalMosquittoContractTest extends TransportContractSuite {
    @Override
    protected BrokerUrl brokerUrl() {
        return Brokers.requireLocalMosquitto();
    }

    @Override
    protected String brokerName() {
        return "local Mosquitto at " + super.brokerName();
    }
}
