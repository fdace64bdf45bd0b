package dev.hostops.cli.node;

import dev.hostops.cli.node.service.ServiceInstaller;
import dev.hostops.cli.node.service.ServiceSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hostops node install}: registers the agent as a Windows service (WinSW) or a systemd unit. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Register the node agent as a service: a Windows service through WinSW, or a systemd unit on Linux.",
                "Run it as Administrator / root. The config and its policy are checked first, as the service will read them "
                        + "(entries that can never match on this host are warned about). --dry-run shows the files and "
                        + "commands without doing anything.",
                "The service runs its own copy of the agent's jar (--lib-dir), so rebuilding this checkout never touches it; "
                        + "run install again to upgrade (on Windows: uninstall first)."},
        footer = {"", "Examples:",
                "  hostops node install --config C:\\ProgramData\\hostops\\node.yaml --winsw C:\\Downloads\\WinSW-x64.exe",
                "  sudo ./hostops node install --config /etc/hostops/node.yaml"})
public final class NodeInstallCommand implements Callable<Integer> {
    @Mixin
    NodeServiceOptions options;

    @Option(names = "--dry-run", description = "Print what would be written and run.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        // Before anything is written: a service that cannot start would only restart in a loop.
        ServiceConfigCheck.check(options.config).forEach(w -> System.err.println("warning: policy entry " + w));
        Path source = options.sourceJar();
        ServiceInstaller installer = options.installer();
        if (dryRun) {
            Path jar = InstalledJar.target(source, options.libDir());
            System.out.println("# copy " + source + " -> " + jar);
            ServiceInstaller.Plan plan = installer.plan(options.spec(jar));
            for (ServiceInstaller.FileToWrite f : plan.files()) {
                System.out.println("# " + f.path());
                System.out.println(f.content());
            }
            plan.commands().forEach(c -> System.out.println("$ " + String.join(" ", c)));
            return 0;
        }
        Path jar = InstalledJar.install(source, options.libDir());
        ServiceSpec spec = options.spec(jar);
        installer.install(spec);
        InstalledJar.removeOthers(options.libDir(), jar);
        System.out.println("hostops node: service '" + spec.name() + "' installed and started, running " + jar + ".");
        return 0;
    }
}
