package dev.hostops.broker.testing;

import dev.hostops.broker.BrokerUrl;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a broker as a parameter, skipping (or failing, see {@link Requirement}) when none
 * can be had:
 * <pre>{@code
 * @ExtendWith(BrokersExtension.class)
 * class NodeAgentIT {
 *     @Test void runsACommand(@MqttBroker BrokerUrl mqtt) { ... }
 *     @Test void overAmqp(@AmqpBroker BrokerUrl amqp) { ... }
 * }
 * }</pre>
 */
public final class BrokersExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == BrokerUrl.class
                && (parameter.isAnnotated(MqttBroker.class) || parameter.isAnnotated(AmqpBroker.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.isAnnotated(MqttBroker.class) ? Brokers.requireMqtt() : Brokers.requireAmqp();
    }
}
