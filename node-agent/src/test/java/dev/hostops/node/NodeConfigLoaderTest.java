package dev.hostops.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings from a file, the environment and flags, in that order of precedence, and clear errors. */
class NodeConfigLoaderTest {
    @TempDir
    Path tmp;

    private NodeConfigLoader base() {
        return new NodeConfigLoader().set("broker", "mqtt://127.0.0.1:1883").set("node", "n1").set("policy", "p.yaml")
                .set("dataDir", tmp.toString());
    }

    @Test
    void theResultTailComesFromTheFileTheEnvironmentOrAFlagAndDefaultsToFourKiB() throws Exception {
        assertThat(base().build().tailKiB()).isEqualTo(NodeConfig.DEFAULT_TAIL_KIB);
        Path file = tmp.resolve("node.yaml");
        Files.writeString(file, "tailKiB: 16\n");
        assertThat(base().file(file).build().tailKiB()).isEqualTo(16);
        assertThat(base().file(file).environment(Map.of("HOSTOPS_TAIL_KIB", "32")).build().tailKiB()).isEqualTo(32);
        assertThat(base().file(file).environment(Map.of("HOSTOPS_TAIL_KIB", "32")).set("tailKiB", "64").build().tailKiB())
                .isEqualTo(64);
    }

    /**
     * From the docs walkthrough: {@code policy: policy2.yaml} in /tmp/x/node.yaml was looked for in the
     * shell's working directory, while the service runs in /tmp/x (its WorkingDirectory).
     */
    @Test
    void relativePathsInTheFileAreRelativeToItsDirectoryAndTypedOnesToTheWorkingDirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("etc"));
        Path file = Files.writeString(dir.resolve("node.yaml"), "broker: mqtt://127.0.0.1:1883\nnode: n1\npolicy: policy2.yaml\n"
                + "dataDir: data\naudit: ../log/audit.jsonl\ntlsCa: ca.pem\n");
        NodeConfig c = new NodeConfigLoader().file(file).build();
        assertThat(c.policyFile()).isEqualTo(dir.resolve("policy2.yaml"));
        assertThat(c.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(c.audit()).isEqualTo(tmp.resolve("log/audit.jsonl"));
        assertThat(c.tls().caFile()).isEqualTo(dir.resolve("ca.pem"));
        Path absolute = tmp.resolve("elsewhere/policy.yaml");
        Files.writeString(file, "broker: mqtt://127.0.0.1:1883\nnode: n1\npolicy: " + absolute + "\n");
        assertThat(new NodeConfigLoader().file(file).build().policyFile()).isEqualTo(absolute);
        // a flag or a variable is a path typed in a shell: relative to the working directory
        assertThat(new NodeConfigLoader().file(file).set("policy", "typed.yaml").build().policyFile()).isEqualTo(Path.of("typed.yaml"));
        assertThat(new NodeConfigLoader().file(file).environment(Map.of("HOSTOPS_POLICY", "env.yaml")).build().policyFile())
                .isEqualTo(Path.of("env.yaml"));
    }

    /** From the docs walkthrough: a missing file said only its name, and a tab gave two line numbers. */
    @Test
    void aMissingFileIsNamedWholeAndAYamlErrorOnce() throws Exception {
        Path missing = Path.of("no-such-node-config.yaml");
        assertThatThrownBy(() -> new NodeConfigLoader().file(missing))
                .hasMessage("the node config file " + missing.toAbsolutePath() + " does not exist");
        Path tabs = Files.writeString(tmp.resolve("tabs.yaml"), "broker: mqtt://127.0.0.1:1883\nnode: n1\n\tpolicy: p.yaml\n");
        assertThatThrownBy(() -> new NodeConfigLoader().file(tabs))
                .hasMessage(tabs + ": line 3, column 1: a tab character, which YAML does not allow for indentation; indent with spaces");
    }

    @Test
    void aTailOutOfRangeSaysTheRange() {
        assertThatThrownBy(() -> base().set("tailKiB", "65").build()).hasMessageContaining("tail-kib must be 1 to 64");
        assertThatThrownBy(() -> base().set("tailKiB", "-1").build()).hasMessageContaining("tail-kib must be 1 to 64");
    }

    @Test
    void theDrainTimeoutOfACleanStopComesFromTheFileOrTheEnvironmentAndDefaultsToFiveSeconds() throws Exception {
        assertThat(base().build().drainTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        Path file = tmp.resolve("node.yaml");
        Files.writeString(file, "drainTimeout: 12s\n");
        assertThat(base().file(file).build().drainTimeout()).isEqualTo(java.time.Duration.ofSeconds(12));
        assertThat(base().file(file).environment(Map.of("HOSTOPS_DRAIN_TIMEOUT", "500ms")).build().drainTimeout())
                .isEqualTo(java.time.Duration.ofMillis(500));
        assertThatThrownBy(() -> base().set("drainTimeout", "0s").build()).hasMessageContaining("drainTimeout must be positive");
    }
}
