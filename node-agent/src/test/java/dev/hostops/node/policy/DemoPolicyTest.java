package dev.hostops.node.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.SecurityMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DemoPolicyTest {
    private final WindowsHost win = new WindowsHost();

    @AfterEach
    void close() throws Exception {
        win.close();
    }

    @Test
    void demoPinsTheHostsProgramsAndStaysInsideItsRoot() throws Exception {
        Policy demo = Policy.demo(win.path("C:\\OpenClaw"), win.host);
        assertThat(demo.security()).isEqualTo(SecurityMode.ALLOWLIST);
        assertThat(demo.ask()).isEqualTo(AskMode.ON_MISS);
        assertThat(demo.askFallback()).isEqualTo(AskFallback.DENY);
        assertThat(demo.allow()).extracting(AllowRule::path)
                .contains("C:/Program Files/Git/cmd/git.exe", "C:/Program Files/Docker/Docker/resources/bin/docker.exe");
        assertThat(demo.approvedFile()).isEmpty();
        PolicyEngine engine = new PolicyEngine(demo, win.host);
        assertThat(engine.evaluate(new CommandRequest(List.of("git", "status"), "C:\\OpenClaw", Map.of(), null, null)).verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(engine.evaluate(new CommandRequest(List.of("git", "status"), "C:\\Elsewhere", Map.of(), null, null)).verdict())
                .isEqualTo(Verdict.ASK);
        assertThat(engine.evaluate(new CommandRequest(List.of("git", "push"), "C:\\OpenClaw", Map.of(), null, null)).verdict())
                .isEqualTo(Verdict.ASK);
        assertThat(engine.evaluate(new CommandRequest(List.of(".\\git.exe", "status"), "C:\\OpenClaw", Map.of(), null, null))
                .verdict()).isEqualTo(Verdict.ASK);
        assertThat(engine.evaluate(new CommandRequest(List.of("git", "reset", "--hard"), "C:\\OpenClaw", Map.of(), null, null))
                .error().code()).isEqualTo("DENIED_BY_RULE");
        assertThat(demo.digest()).startsWith("sha256:");
    }

    @Test
    void demoWorksOnThisMachine() {
        Policy demo = Policy.demo(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
        assertThat(demo.security()).isEqualTo(SecurityMode.ALLOWLIST);
        assertThat(demo.deny()).isNotEmpty();
    }
}
