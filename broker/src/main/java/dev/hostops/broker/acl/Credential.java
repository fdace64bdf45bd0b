package dev.hostops.broker.acl;

import java.util.Objects;

/**
 * One principal's login, the same password on both brokers.
 *
 * @param role     {@code node}, {@code dispatcher} or {@code dashboard}
 * @param mqttUser user name in the Mosquitto password file
 * @param amqpUser user name in the RabbitMQ definitions
 * @param password the generated password (printable, no spaces)
 */
public record Credential(String role, String mqttUser, String amqpUser, String password) {
    public Credential {
        Objects.requireNonNull(role, "role must not be null.");
        Objects.requireNonNull(mqttUser, "mqttUser must not be null.");
        Objects.requireNonNull(amqpUser, "amqpUser must not be null.");
        if (password == null || password.isEmpty() || password.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("password must be non-empty and without whitespace.");
        }
    }

    @Override
    public String toString() {
        return "Credential[" + role + " " + mqttUser + "/" + amqpUser + ", password hidden]";
    }
}
