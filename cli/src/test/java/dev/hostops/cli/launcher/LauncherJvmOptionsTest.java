package dev.hostops.cli.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.cli.node.service.ServiceSpec;
import dev.hostops.dispatcher.DispatcherJvmOptions;
import dev.hostops.node.NodeJvmOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The launchers start a node agent and a dispatcher with exactly the options the service, the container and the benchmarks use. */
class LauncherJvmOptionsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void unixLauncherUsesTheNodeOptions() throws Exception {
        assertThat(Files.readString(ROOT.resolve("hostops"))).contains("opts=\"" + NodeJvmOptions.line() + "\"");
    }

    @Test
    void windowsLauncherUsesTheNodeOptions() throws Exception {
        assertThat(Files.readString(ROOT.resolve("hostops.cmd"))).contains("set \"OPTS=" + NodeJvmOptions.line() + "\"");
    }

    @Test
    void launchersAndTheContainerStartTheDispatcherWithItsOptions() throws Exception {
        assertThat(Files.readString(ROOT.resolve("hostops"))).contains("  dispatcher)", "opts=\"" + DispatcherJvmOptions.line() + "\"");
        assertThat(Files.readString(ROOT.resolve("hostops.cmd")))
                .contains("if /i \"%~1\"==\"dispatcher\" set \"OPTS=" + DispatcherJvmOptions.line() + "\"");
        assertThat(Files.readString(ROOT.resolve("docker/dispatcher-entrypoint.sh")))
                .contains("${JAVA_OPTS:-" + DispatcherJvmOptions.line() + "}");
    }

    @Test
    void theServiceUsesTheNodeOptions() {
        ServiceSpec spec = new ServiceSpec("hostops-node", Path.of("/usr/bin/java"), Path.of("/opt/hostops.jar"),
                Path.of("/etc/hostops/node.yaml"), Path.of("/var/lib/hostops"));
        assertThat(String.join(" ", spec.command())).contains(" " + NodeJvmOptions.line() + " -jar /opt/hostops.jar node run");
    }
}
