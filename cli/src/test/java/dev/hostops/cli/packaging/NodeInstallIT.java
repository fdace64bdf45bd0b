package dev.hostops.cli.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hostops node install --dry-run} from the packaged jar (the service must run from a jar):
 * the systemd unit it would write, and the checks made before anything is written. Nothing is
 * installed: a dry run writes no file and runs no command.
 */
@EnabledOnOs(OS.LINUX)
class NodeInstallIT {
    private static final Path JAR = Path.of("target", "hostops.jar").toAbsolutePath();

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {}

    @Test
    void theUnitRunsTheNodeJarWithTheServiceOptionsAndTheConfig() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "security: allowlist\nask: off\nallow:\n"
                + "  - path: \"" + Path.of("/usr/bin/env").toRealPath() + "\"\n"
                + "  - path: \"" + dir.resolve("gone") + "\"\n");
        Path config = config("broker: mqtt://127.0.0.1:1883\nnode: HostOps-Test\npolicy: " + policy + "\n");
        Path units = dir.resolve("systemd");

        Run r = install(config, units);

        assertThat(r.exitCode()).as(r.err()).isZero();
        // The service runs its own copy of the node jar, named after its content, never the checkout's.
        Path lib = dir.resolve("lib").toAbsolutePath();
        assertThat(r.out()).containsPattern("# copy \\S+/cli/target/hostops-node.jar -> " + java.util.regex.Pattern.quote(lib.toString())
                        + "/hostops-node-[0-9a-f]{12}\\.jar\n")
                .contains("# " + units.resolve("hostops-node.service"))
                .containsPattern("ExecStart=\\S+/bin/java -XX:\\+UseSerialGC -XX:TieredStopAtLevel=1 .*-Xss512k -jar "
                        + java.util.regex.Pattern.quote(lib.toString()) + "/hostops-node-[0-9a-f]{12}\\.jar node run --config "
                        + java.util.regex.Pattern.quote(config.toRealPath().toString()))
                .contains("Restart=always").contains("WorkingDirectory=" + dir.toRealPath())
                .contains("$ systemctl daemon-reload\n$ systemctl enable hostops-node\n$ systemctl restart hostops-node");
        assertThat(r.err()).contains("warning: policy entry allow[1] " + dir.resolve("gone") + ": no such file on this host");
        assertThat(units).as("a dry run writes nothing").doesNotExist();
        assertThat(lib).as("nor copies anything").doesNotExist();
    }

    @Test
    void aConfigTheServiceCouldNotStartWithIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path typo = config("broker: mqtt://127.0.0.1:1883\nnodeId: HostOps-Test\npolicy: /nowhere.yaml\n");
        Run unknown = install(typo, dir.resolve("systemd"));
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("hostops node install: the config " + typo).contains("unknown setting 'nodeId'");
        assertThat(unknown.out()).isEmpty();

        Path missingPolicy = config("broker: mqtt://127.0.0.1:1883\nnode: HostOps-Test\npolicy: " + dir.resolve("nope.yaml") + "\n");
        Run refused = install(missingPolicy, dir.resolve("systemd"));
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("names a policy the agent would refuse").contains("nope.yaml does not exist");
        assertThat(refused.out()).isEmpty();
    }

    /**
     * From the docs walkthrough: run from /, {@code --config /tmp/x/node.yaml} with {@code policy:
     * policy2.yaml} was refused ("does not exist") though the service, which runs in /tmp/x, would find
     * it. A relative path in the file is relative to the file, for the check as for the service.
     */
    @Test
    void aRelativePolicyInTheConfigIsFoundNextToItFromAnyWorkingDirectory() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("policy2.yaml"), "security: allowlist\nask: off\n");
        Path config = Files.writeString(etc.resolve("node.yaml"), "broker: mqtt://127.0.0.1:1883\nnode: HostOps-Test\npolicy: policy2.yaml\n");
        Run found = install(config, dir.resolve("systemd"), Path.of("/"));
        assertThat(found.exitCode()).as(found.err()).isZero();
        assertThat(found.out()).contains("WorkingDirectory=" + etc.toRealPath());

        Files.writeString(config, "broker: mqtt://127.0.0.1:1883\nnode: HostOps-Test\npolicy: nope2.yaml\n");
        Run refused = install(config, dir.resolve("systemd"), Path.of("/"));
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).as("the whole path it looked at").contains(etc.resolve("nope2.yaml") + " does not exist");
    }

    private Path config(String yaml) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "node-", ".yaml"), yaml);
    }

    private Run install(Path config, Path units) throws Exception {
        return install(config, units, null);
    }

    private Run install(Path config, Path units, Path workingDirectory) throws Exception {
        assertThat(JAR).as("built by mvn package").isRegularFile();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "node", "install", "--dry-run", "--config", config.toString(),
                "--systemd-dir", units.toString(), "--lib-dir", dir.resolve("lib").toString()));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).directory(workingDirectory == null ? null : workingDirectory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
