package dev.hostops.cli.node;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hostops node uninstall}: stops and removes the service. The data directory is kept. */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = "Stop and remove the node agent's service. Its data directory and policy are kept.")
public final class NodeUninstallCommand implements Callable<Integer> {
    @Mixin
    NodeServiceOptions options;

    @Override
    public Integer call() throws Exception {
        options.installer().uninstall(options.spec());
        System.out.println("hostops node: service '" + options.spec().name() + "' removed.");
        return 0;
    }
}
