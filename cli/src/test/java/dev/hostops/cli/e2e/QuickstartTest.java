package dev.hostops.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: {@code hostops quickstart --once} starts the embedded broker, the
 * dispatcher and a node agent, runs the demo command through all of them and exits 0.
 */
class QuickstartTest {
    @TempDir
    Path tmp;

    @Test
    void quickstartRunsTheDemoCommandEndToEndAndExitsZero() throws Exception {
        Captured c = Captured.run("quickstart", "--once", "--data-dir", tmp.toString(), "--mqtt-port", "0", "--http-port", "0");

        assertThat(c.exitCode()).as(c.out() + c.err()).isZero();
        assertThat(c.out()).contains("[1/4]", "[2/4]", "[3/4]", "[4/4]", "Result: SUCCEEDED (exit 0)", "curl -s -H",
                "./hostops exec --node local --wait");
        assertThat(tmp.resolve("policy.yaml")).exists();
        assertThat(Files.readString(tmp.resolve("tokens.yaml"))).contains("roles: [admin]");

        // A second run reuses the token and the policy the user may have edited.
        String token = Files.readString(tmp.resolve("tokens.yaml"));
        Captured again = Captured.run("quickstart", "--once", "--data-dir", tmp.toString(), "--mqtt-port", "0", "--http-port", "0");
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(Files.readString(tmp.resolve("tokens.yaml"))).isEqualTo(token);
    }
}
