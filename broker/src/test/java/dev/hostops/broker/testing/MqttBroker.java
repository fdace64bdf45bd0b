package dev.hostops.broker.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a {@code BrokerUrl} test parameter to be filled with {@link Brokers#requireMqtt()} by {@link BrokersExtension}. */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface MqttBroker {}
