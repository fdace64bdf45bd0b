package dev.hostops.cli.broker;

import picocli.CommandLine.Command;

/** {@code hostops broker ...}: the embedded MQTT broker. */
@Command(name = "broker", description = "Run the embedded MQTT broker.", mixinStandardHelpOptions = true,
        subcommands = {BrokerRunCommand.class})
public final class BrokerCommand {}
