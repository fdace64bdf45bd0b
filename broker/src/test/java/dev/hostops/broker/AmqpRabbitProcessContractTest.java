package dev.hostops.broker;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The transport contract over AMQP against a private RabbitMQ node started from the project's
 * config, which this test owns and therefore restarts: the broker-restart case runs here.
 */
class AmqpRabbitProcessContractTest extends TransportContractSuite {
    private static final String USER = "hostops-test";
    private static final String PASSWORD = UUID.randomUUID().toString();
    private static AmqpRabbitProcess rabbit;

    @BeforeAll
    static void startRabbit() throws Exception {
        rabbit = AmqpRabbitProcess.start();
        // The project's users may use hostops routing keys only; the suite's topics are its own.
        rabbit.ctl("add_user", USER, PASSWORD);
        rabbit.ctl("set_permissions", "-p", "hostops", USER, ".*", ".*", ".*");
    }

    @AfterAll
    static void stopRabbit() throws Exception {
        if (rabbit != null) {
            rabbit.close();
        }
    }

    @Override
    protected BrokerUrl brokerUrl() {
        return rabbit.url(USER, PASSWORD);
    }

    @Override
    protected String brokerName() {
        return "private RabbitMQ node (project config) at " + super.brokerName();
    }

    @Override
    protected boolean canRestartBroker() {
        return true;
    }

    @Override
    protected void stopBroker() {
        try {
            rabbit.stopNode();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the private RabbitMQ", e);
        }
    }

    @Override
    protected void startBroker() {
        try {
            rabbit.startNode();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the private RabbitMQ again", e);
        }
    }
}
