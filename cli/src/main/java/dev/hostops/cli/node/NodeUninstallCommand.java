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
        // The unit or wrapper files are found by the service's name; the jar in it does not matter here.
        options.installer().uninstall(options.spec(options.libDir().resolve("hostops-node.jar")));
        InstalledJar.removeAll(options.libDir());
        System.out.println("hostops node: service '" + options.name + "' removed.");
        return 0;
    }
}
