package dev.hostops.cli.node;

import picocli.CommandLine.Command;

/** {@code hostops node ...}: the host daemon. */
@Command(name = "node", description = "Run or install the node agent (the host daemon).",
        mixinStandardHelpOptions = true,
        subcommands = {NodeRunCommand.class, NodeInstallCommand.class, NodeUninstallCommand.class})
public final class NodeCommand {}
