package dev.hostops.node.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's own host model on the machine that runs the tests (no injected file system). */
class CurrentHostTest {

    @Test
    void shIsFoundInTheRealPathAndIsAWrapper(@TempDir Path work) throws Exception {
        HostModel host = HostModel.current();
        assumeTrue(!host.windows(), "POSIX shell expected");
        Policy policy = Policy.parse("security: allowlist\nask: on-miss\nallow:\n  - path: \"**\"\n", null);
        Evaluation e = new PolicyEngine(policy, host)
                .evaluate(new CommandRequest(List.of("sh", "-c", "true"), work.toString(), Map.of(), null, null));
        assertThat(Path.of(e.resolvedExecutable())).isAbsolute();
        assertThat(Files.isSymbolicLink(Path.of(e.resolvedExecutable()))).isFalse();
        assertThat(e.resolvedWorkdir()).isEqualTo(work.toRealPath().toString());
        assertThat(e.verdict()).isEqualTo(Verdict.ASK);
        assertThat(e.askReason()).startsWith("shell wrapper");
    }
}
