package dev.hostops.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.cli.e2e.Captured;
import dev.hostops.cli.e2e.Programs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hostops policy check} on this machine's real programs: {@code true} and {@code cat} found
 * on the PATH as the agent finds them, a link made here, a real workdir. Nothing is run.
 */
class PolicyCheckCommandTest {
    @TempDir
    Path tmp;

    private Path trueProgram;
    private Path cat;
    private Path work;

    @BeforeEach
    void setUp() throws Exception {
        trueProgram = Programs.onPath("true");
        cat = Programs.onPath("cat");
        work = Files.createDirectories(tmp.resolve("work")).toRealPath();
    }

    @Test
    void aPolicyOfRealPathsIsSummarizedAndPasses() throws Exception {
        Path policy = policy("");
        Captured r = Captured.run("policy", "check", "--policy", policy.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("security allowlist, ask on-miss, askFallback deny after 120 s")
                .contains("allow       2 entries").contains("deny        1 entry").contains("ok: every entry");
    }

    @Test
    void theNodeConfigNamesThePolicyToCheck() throws Exception {
        Path policy = policy("");
        Path config = Files.writeString(tmp.resolve("node.yaml"), "broker: mqtt://127.0.0.1:1883\nnode: n1\npolicy: " + policy + "\n");
        Captured r = Captured.run("policy", "check", "--config", config.toString(), "--", "true");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(PolicyCheckCommand.ALLOWED);
        assertThat(r.out()).contains("policy      " + policy);
        Path none = Files.writeString(tmp.resolve("none.yaml"), "broker: mqtt://127.0.0.1:1883\n");
        Captured missing = Captured.run("policy", "check", "--config", none.toString());
        assertThat(missing.exitCode()).isEqualTo(PolicyCheckCommand.INVALID);
        assertThat(missing.err()).contains("names no policy file");
    }

    @Test
    void anEntryOnALinkIsAWarningThatNamesTheRealPath() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("true-link"), trueProgram);
        Path policy = policy("  - path: \"" + link + "\"\n");
        Captured r = Captured.run("policy", "check", "--policy", policy.toString());
        assertThat(r.exitCode()).isEqualTo(PolicyCheckCommand.DENIED_OR_WARNINGS);
        assertThat(r.out()).contains("warning: allow[2] " + link + ": is a link to " + trueProgram)
                .contains("write " + trueProgram);
    }

    @Test
    void anAllowedCommandSaysWhichProgramAndRule() throws Exception {
        Captured r = Captured.run("policy", "check", "--policy", policy("").toString(), "--workdir", work.toString(),
                "--", "cat", "notes.txt");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(PolicyCheckCommand.ALLOWED);
        assertThat(r.out()).contains("verdict     ALLOW").contains("program     " + cat)
                .contains("decided by  allow[1] " + cat);
    }

    @Test
    void aDeniedCommandGivesTheCodeTheAgentWouldAnswer() throws Exception {
        Captured r = Captured.run("policy", "check", "--policy", policy("").toString(), "--command", "cat /etc/shadow");
        assertThat(r.exitCode()).isEqualTo(PolicyCheckCommand.DENIED_OR_WARNINGS);
        assertThat(r.out()).contains("verdict     DENY: REJECTED with DENIED_BY_RULE").contains("decided by  deny[0] " + cat);
    }

    @Test
    void aMissAsksAndSaysWhatHappensWhenNoOneAnswers() throws Exception {
        Captured r = Captured.run("policy", "check", "--policy", policy("").toString(), "--", "cat", "--help");
        assertThat(r.exitCode()).isEqualTo(PolicyCheckCommand.ASKS);
        assertThat(r.out()).contains("verdict     ASK").contains("allowlist miss")
                .contains("after 120 s: askFallback deny, so it is REJECTED with APPROVAL_TIMEOUT");
        // The command's own modes only make the node's stricter: ask off changes nothing, security deny refuses.
        Captured looser = Captured.run("policy", "check", "--policy", policy("").toString(), "--ask", "off", "--", "cat", "--help");
        assertThat(looser.exitCode()).isEqualTo(PolicyCheckCommand.ASKS);
        Captured stricter = Captured.run("policy", "check", "--policy", policy("").toString(), "--security", "deny", "--", "true");
        assertThat(stricter.exitCode()).isEqualTo(PolicyCheckCommand.DENIED_OR_WARNINGS);
        assertThat(stricter.out()).contains("SECURITY_DENY");
    }

    @Test
    void jsonCarriesTheEvaluationAndTheWarnings() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("cat-link"), cat);
        Captured r = Captured.run("policy", "check", "--policy", policy("  - path: \"" + link + "\"\n").toString(),
                "--json", "--workdir", work.toString(), "--", "true");
        assertThat(r.exitCode()).isEqualTo(PolicyCheckCommand.ALLOWED);
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.at("/evaluation/verdict").asText()).isEqualTo("ALLOW");
        assertThat(json.at("/evaluation/resolvedExecutable").asText()).isEqualTo(trueProgram.toString());
        assertThat(json.at("/evaluation/resolvedWorkdir").asText()).isEqualTo(work.toString());
        assertThat(json.at("/command/argv/0").asText()).isEqualTo("true");
        assertThat(json.at("/policy/digest").asText()).startsWith("sha256:");
        assertThat(json.at("/warnings/0/rule").asText()).isEqualTo("allow[2] " + link);
    }

    @Test
    void badInputIsExitTwoWithTheReason() throws Exception {
        Path policy = policy("");
        Captured missing = Captured.run("policy", "check", "--policy", tmp.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(PolicyCheckCommand.INVALID);
        assertThat(missing.err()).contains("nope.yaml does not exist");
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), "security: sometimes\n");
        Captured invalid = Captured.run("policy", "check", "--policy", broken.toString());
        assertThat(invalid.exitCode()).isEqualTo(PolicyCheckCommand.INVALID);
        assertThat(invalid.err()).contains("security");
        Captured shell = Captured.run("policy", "check", "--policy", policy.toString(), "--command", "cat a; rm -rf b");
        assertThat(shell.exitCode()).isEqualTo(PolicyCheckCommand.INVALID);
        assertThat(shell.err()).contains("--command").contains("SHELL_SYNTAX");
        Captured both = Captured.run("policy", "check", "--policy", policy.toString(), "--command", "true", "--", "true");
        assertThat(both.exitCode()).isEqualTo(PolicyCheckCommand.INVALID);
        Captured mode = Captured.run("policy", "check", "--policy", policy.toString(), "--security", "loose", "--", "true");
        assertThat(mode.exitCode()).isEqualTo(PolicyCheckCommand.INVALID);
        assertThat(mode.err()).contains("--security").contains("deny, allowlist, full");
    }

    /** The demo policy's shape with this machine's real paths, plus {@code extraAllow} lines. */
    private Path policy(String extraAllow) throws Exception {
        String yaml = "security: allowlist\nask: on-miss\naskFallback: deny\nallow:\n"
                + "  - path: \"" + trueProgram + "\"\n"
                + "  - path: \"" + cat + "\"\n    args: [\"notes.txt\"]\n    workdirs: [\"" + work + "\"]\n"
                + extraAllow
                + "deny:\n  - path: \"" + cat + "\"\n    args: [\"/etc/shadow\"]\n";
        return Files.writeString(tmp.resolve("policy-" + System.nanoTime() + ".yaml"), yaml);
    }
}
