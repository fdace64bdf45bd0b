package dev.hostops.cli;

import dev.hostops.cli.audit.AuditCommand;
import dev.hostops.cli.node.NodeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The entry point of {@code hostops-node.jar}: the commands a host running a node agent needs
 * ({@code node run|install|uninstall}, {@code audit verify}), with the same syntax as the full
 * {@code hostops}. That jar holds only what these commands use; the full command tree could not
 * even be built there (picocli inspects every subcommand class, and the dispatcher's are absent).
 */
@Command(name = "hostops",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "The hostops node agent: runs commands from the broker under this host's own allowlist.",
        subcommands = {NodeCommand.class, AuditCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "This is hostops-node.jar; the full CLI (exec, dispatcher, broker, bench, ...) is hostops.jar."})
public final class NodeMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Main.prepareJvm();
        System.exit(Main.execute(new NodeMain(), args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
