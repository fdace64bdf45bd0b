package dev.hostops.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hostops.node.NodeAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hostops exec} says when a target it knows is offline, for one node and for many. */
class OfflineTargetNoteTest {
    static final String TOKEN = "offline-note-token-0123456789abcdef01234567";

    @TempDir
    Path tmp;

    @Test
    void eachOfflineTargetIsNamedWhenTheCommandIsSent() throws Exception {
        Path root = tmp.toRealPath();
        Path policy = root.resolve("policy.yaml");
        Files.writeString(policy, "security: allowlist\nask: off\nallow:\n  - path: /usr/bin/true\n");
        try (LocalStack stack = LocalStack.start(root, TOKEN)) {
            stack.agent("up-node", policy, "normal");
            NodeAgent gone = stack.agent("gone-node", policy, "normal");
            gone.close();
            await().until(() -> stack.dispatcher().ledger().node("gone-node").map(n -> n.state().wire()).orElse("").equals("offline"));

            Captured many = Captured.run("exec", "--url", stack.url(), "--token", TOKEN, "--nodes", "up-node,gone-node", "--", "true");
            assertThat(many.exitCode()).as(many.err()).isZero();
            assertThat(many.err()).contains("gone-node is offline (since ").contains("the command waits for it")
                    .doesNotContain("up-node is offline");
            Captured one = Captured.run("exec", "--url", stack.url(), "--token", TOKEN, "--node", "gone-node", "--", "true");
            assertThat(one.err()).contains("gone-node is offline (since ");
        }
    }
}
