package dev.hostops.cli.bench;

import picocli.CommandLine.Command;

/** {@code hostops bench ...}: benchmarks that measure beside their floors and print JSON. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure hostops on this machine, always beside the floor measured in the same run.",
                "Figures go to docs/BENCHMARKS.md with the machine and the command."},
        subcommands = {TransportBenchCommand.class, AgentBenchCommand.class, CliBenchCommand.class, DispatcherBenchCommand.class})
public final class BenchCommand {}
