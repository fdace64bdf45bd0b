package dev.hostops.cli;

import dev.hostops.cli.audit.AuditCommand;
import dev.hostops.cli.bench.BenchCommand;
import dev.hostops.cli.broker.BrokerCommand;
import dev.hostops.cli.client.ApprovalsCommand;
import dev.hostops.cli.client.ApproveCommand;
import dev.hostops.cli.client.CancelCommand;
import dev.hostops.cli.client.CommandsCommand;
import dev.hostops.cli.client.ExecCommand;
import dev.hostops.cli.client.LogsCommand;
import dev.hostops.cli.client.NodesCommand;
import dev.hostops.cli.dispatcher.DispatcherCommand;
import dev.hostops.cli.keys.KeysCommand;
import dev.hostops.cli.policy.PolicyCommand;
import dev.hostops.cli.quickstart.QuickstartCommand;
import dev.hostops.cli.node.NodeCommand;
import dev.hostops.node.exec.internal.LaunchMechanism;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code hostops}: one executable for every role. Subcommands load only what they use, so a client
 * call such as {@code hostops exec} starts no server code.
 */
@Command(name = "hostops",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run host commands from agents elsewhere, through a message broker, under each host's own allowlist.",
        subcommands = {
                QuickstartCommand.class,
                ExecCommand.class,
                NodesCommand.class,
                CommandsCommand.class,
                LogsCommand.class,
                CancelCommand.class,
                ApprovalsCommand.class,
                ApproveCommand.class,
                NodeCommand.class,
                PolicyCommand.class,
                DispatcherCommand.class,
                BrokerCommand.class,
                BenchCommand.class,
                AuditCommand.class,
                KeysCommand.class,
                CommandLine.HelpCommand.class
        },
        footer = {"", "Start here:  hostops quickstart", "Docs:        README.md and docs/ in the repository"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        prepareJvm();
        System.exit(run(args));
    }

    /** What every entry point sets before anything else runs. */
    static void prepareJvm() {
        fastProcessLaunch();
        noThreadPerAsyncTask();
    }

    /** The agent's way of starting processes, for every process this JVM starts ({@link LaunchMechanism}). */
    private static void fastProcessLaunch() {
        LaunchMechanism.preferFastest();
    }

    /**
     * With fewer than 3 CPUs the common fork-join pool gets parallelism 1, and then every
     * CompletableFuture stage run "async" without an executor starts a thread of its own (the
     * JDK's HTTP client does so for each response: 5,000 threads started for 5,000 requests,
     * measured here with JFR on 2 CPUs). Two workers avoid that; set before the pool is first used,
     * only when nobody chose otherwise.
     */
    private static void noThreadPerAsyncTask() {
        String property = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(property) == null && Runtime.getRuntime().availableProcessors() < 3) {
            System.setProperty(property, "2");
        }
    }

    /** Runs the CLI and returns the exit code (for tests and the launcher). */
    public static int run(String... args) {
        return execute(new Main(), args);
    }

    /** Runs a command tree with the CLI's error handling and conventions. */
    static int execute(Object root, String... args) {
        CommandLine cli = new CommandLine(root);
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
