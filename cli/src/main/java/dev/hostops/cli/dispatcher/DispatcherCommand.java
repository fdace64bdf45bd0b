package dev.hostops.cli.dispatcher;

import picocli.CommandLine.Command;

/** {@code hostops dispatcher ...}: the service orchestrators talk to. */
@Command(name = "dispatcher", description = "Run the dispatcher: ledger, deadlines, fan-out, HTTP API.",
        mixinStandardHelpOptions = true, subcommands = {DispatcherRunCommand.class})
public final class DispatcherCommand {}
