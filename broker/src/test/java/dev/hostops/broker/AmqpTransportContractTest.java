package dev.hostops.broker;

import dev.hostops.broker.internal.amqp.AmqpTransport;
import dev.hostops.broker.testing.Brokers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;

/**
 * The transport contract over AMQP 0-9-1 against the shared RabbitMQ (never restarted: the
 * restart case is skipped; {@link AmqpTransportTest} covers connection loss instead). Retained
 * and last-will cases are skipped by the suite because AMQP has neither.
 */
class AmqpTransportContractTest extends TransportContractSuite {
    /** Every client id used, so the durable queues of persistent sessions can be deleted afterwards. */
    private static final List<String> CLIENT_IDS = new CopyOnWriteArrayList<>();

    @Override
    protected BrokerUrl brokerUrl() {
        return Brokers.requireAmqp();
    }

    @Override
    protected String brokerName() {
        return "RabbitMQ (AMQP 0-9-1) at " + super.brokerName();
    }

    @Override
    protected String clientId(String role) {
        String id = super.clientId(role);
        CLIENT_IDS.add(id);
        return id;
    }

    /** After all tests, when the suite has closed every transport: the shared broker keeps no test queues. */
    @AfterAll
    static void deleteQueues() {
        if (CLIENT_IDS.isEmpty()) {
            return;
        }
        try (AmqpTestBroker broker = AmqpTestBroker.require()) {
            for (String id : CLIENT_IDS) {
                broker.deleteQueue(AmqpTransport.QUEUE_PREFIX + id);
            }
        } catch (Exception e) {
            System.out.println("[amqp-contract] could not delete test queues: " + e);
        }
    }
}
