package dev.hostops.cli.broker;

import picocli.CommandLine.Command;

/** {@code hostops broker ...}: the embedded MQTT broker, and access rules for a real one. */
@Command(name = "broker", description = "Run the embedded MQTT broker, or generate users and ACLs for Mosquitto and RabbitMQ.", mixinStandardHelpOptions = true,
        subcommands = {BrokerRunCommand.class, AclCommand.class})
public final class BrokerCommand {}
