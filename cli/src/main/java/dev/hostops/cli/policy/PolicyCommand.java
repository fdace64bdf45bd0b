package dev.hostops.cli.policy;

import picocli.CommandLine.Command;

/** {@code hostops policy ...}: a node's own policy file, looked at on the host it is for. */
@Command(name = "policy", description = "Check a node's policy file and what it decides, on the host itself.",
        mixinStandardHelpOptions = true, subcommands = {PolicyCheckCommand.class})
public final class PolicyCommand {}
