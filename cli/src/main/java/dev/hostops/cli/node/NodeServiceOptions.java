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

    @Option(names = "--lib-dir", paramLabel = "DIR",
            description = "Where the service's own copy of the agent's jar goes, named after its content, so that rebuilding "
                    + "this checkout never touches the running service (default: the service directory on Windows, "
                    + "/usr/local/lib/hostops on Linux).")
    Path libDir;

    static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    ServiceInstaller installer() {
        if (windows()) {
            return new WinswInstaller(winsw != null ? winsw : windowsServiceDir().resolve("WinSW-x64.exe"), windowsServiceDir());
        }
        return new SystemdInstaller(systemdDir);
    }

    private Path windowsServiceDir() {
        return serviceDir != null ? serviceDir : Path.of("C:\\ProgramData\\hostops");
    }

    /** Where the service's copy of the jar lives ({@link InstalledJar}). */
    Path libDir() {
        return (libDir != null ? libDir : windows() ? windowsServiceDir() : Path.of("/usr/local/lib/hostops")).toAbsolutePath();
    }

    /** The agent's jar this command runs with: the one a service is installed from. */
    Path sourceJar() {
        return runningJar();
    }

    /** The service as installed: run from {@code jar}, the copy in {@link #libDir()}. */
    ServiceSpec spec(Path jar) {
        Path java = Path.of(System.getProperty("java.home"), "bin", windows() ? "java.exe" : "java");
        Path cfg = config.toAbsolutePath().normalize();
        return new ServiceSpec(name, java, jar, cfg, cfg.getParent());
    }

    private static Path runningJar() {
        return Jars.forNodeAgent().orElseThrow(() -> new IllegalStateException(
                "install the service from the packaged jar (./hostops node install ...), not from classes"));
    }
}
