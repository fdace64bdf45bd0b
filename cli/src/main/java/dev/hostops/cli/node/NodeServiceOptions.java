package dev.hostops.cli.node;

import dev.hostops.cli.Jars;
import dev.hostops.cli.node.service.ServiceInstaller;
import dev.hostops.cli.node.service.ServiceSpec;
import dev.hostops.cli.node.service.SystemdInstaller;
import dev.hostops.cli.node.service.WinswInstaller;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options shared by {@code node install} and {@code node uninstall}. */
final class NodeServiceOptions {
    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "The node agent's YAML config the service runs with (see docs/NODE.md).")
    Path config;

    @Option(names = "--name", defaultValue = "hostops-node", description = "Service name (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--winsw", paramLabel = "EXE", description = "Windows: path of the downloaded WinSW-x64.exe.")
    Path winsw;

    @Option(names = "--service-dir", paramLabel = "DIR",
            description = "Windows: where the service wrapper and its logs live (default C:\\ProgramData\\hostops).")
    Path serviceDir;

    @Option(names = "--systemd-dir", paramLabel = "DIR", defaultValue = "/etc/systemd/system",
            description = "Linux: where the unit file goes (default ${DEFAULT-VALUE}).")
    Path systemdDir;

    static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    ServiceInstaller installer() {
        if (windows()) {
            Path dir = serviceDir != null ? serviceDir : Path.of("C:\\ProgramData\\hostops");
            return new WinswInstaller(winsw != null ? winsw : dir.resolve("WinSW-x64.exe"), dir);
        }
        return new SystemdInstaller(systemdDir);
    }

    ServiceSpec spec() {
        Path java = Path.of(System.getProperty("java.home"), "bin", windows() ? "java.exe" : "java");
        Path cfg = config.toAbsolutePath().normalize();
        return new ServiceSpec(name, java, runningJar(), cfg, cfg.getParent());
    }

    private static Path runningJar() {
        return Jars.forNodeAgent().orElseThrow(() -> new IllegalStateException(
                "install the service from the packaged jar (./hostops node install ...), not from classes"));
    }
}
