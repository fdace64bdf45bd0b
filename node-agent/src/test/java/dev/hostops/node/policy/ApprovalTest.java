package dev.hostops.node.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Approvals, the fallback, and the approved file (on the Windows host, so the file lives in Jimfs too). */
class ApprovalTest {
    private static final String POLICY = """
            security: allowlist
            ask: on-miss
            approvalTimeout: 90s
            allow:
              - path: "C:/Program Files/Git/cmd/git.exe"
                args: ["status --porcelain"]
            deny:
              - path: "**/git*"
                args: ["reset --hard*"]
            """;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T00:30:00Z"), ZoneOffset.UTC);

    private final WindowsHost win = new WindowsHost();
    private final Path policyFile = win.file("C:\\HostOps\\policy.yaml");
    private final Path approvedFile = win.path("C:\\HostOps\\approved.yaml");

    @AfterEach
    void close() throws Exception {
        win.close();
    }

    private PolicyEngine load(String yaml) throws Exception {
        Files.writeString(policyFile, yaml);
        return new PolicyEngine(Policy.load(policyFile), win.host, CLOCK);
    }

    private static CommandRequest request(String... argv) {
        return new CommandRequest(List.of(argv), "C:\\OpenClaw", Map.of(), null, null);
    }

    @Test
    void anApprovedAskRunsWithDecisionAsk() throws Exception {
        PolicyEngine engine = load(POLICY);
        Evaluation asked = engine.evaluate(request("git", "fetch", "--all"));
        assertThat(asked.verdict()).isEqualTo(Verdict.ASK);
        Evaluation approved = engine.afterApproval(asked);
        assertThat(approved.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(approved.decision().decision()).isEqualTo("ask");
        assertThat(approved.decision().rule()).isEqualTo("allowlist miss");
        assertThat(approved.resolvedExecutable()).isEqualTo("C:\\Program Files\\Git\\cmd\\git.exe");
        assertThat(approved.resolvedWorkdir()).isEqualTo("C:\\OpenClaw");
        assertThat(approved.error()).isNull();
        assertThatThrownBy(() -> engine.afterApproval(approved)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFallbackDeniesByDefaultAndAllowsWhenConfigured() throws Exception {
        PolicyEngine engine = load(POLICY);
        Evaluation denied = engine.fallback(engine.evaluate(request("git", "fetch")));
        assertThat(denied.verdict()).isEqualTo(Verdict.DENY);
        assertThat(denied.error().code()).isEqualTo("APPROVAL_TIMEOUT");
        assertThat(denied.error().message()).contains("90s");
        assertThat(denied.decision().rule()).isEqualTo("askFallback: deny");
        PolicyEngine lenient = load(POLICY + "askFallback: allow\n");
        Evaluation allowed = lenient.fallback(lenient.evaluate(request("git", "fetch")));
        assertThat(allowed.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(allowed.decision().rule()).startsWith("askFallback: full");
    }

    /** OpenClaw's askFallback: allowlist runs, unanswered, only what the allowlist alone allows. */
    @Test
    void anAllowlistFallbackRunsOnlyWhatTheAllowlistAloneAllows() throws Exception {
        PolicyEngine engine = load(POLICY.replace("ask: on-miss", "ask: always") + "askFallback: allowlist\n");
        Evaluation listed = engine.evaluate(request("git", "status", "--porcelain"));
        assertThat(listed.verdict()).isEqualTo(Verdict.ASK);
        assertThat(listed.allowlisted()).isTrue();
        Evaluation ran = engine.fallback(listed);
        assertThat(ran.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(ran.decision().rule()).isEqualTo("askFallback: allowlist (allow[0] C:/Program Files/Git/cmd/git.exe)");

        Evaluation missed = engine.evaluate(request("git", "fetch"));
        assertThat(missed.allowlisted()).isFalse();
        Evaluation refused = engine.fallback(missed);
        assertThat(refused.verdict()).isEqualTo(Verdict.DENY);
        assertThat(refused.error().code()).isEqualTo("APPROVAL_TIMEOUT");
        assertThat(refused.error().message()).contains("askFallback is allowlist").contains("allowlist miss");

        // On-miss, everything asked about is a miss: the allowlist fallback never runs it.
        PolicyEngine onMiss = load(POLICY + "askFallback: allowlist\n");
        assertThat(onMiss.fallback(onMiss.evaluate(request("git", "fetch"))).verdict()).isEqualTo(Verdict.DENY);
    }

    @Test
    void anAllowlistFallbackNeverRunsAShellWrapperThatAnEntryMatches() throws Exception {
        PolicyEngine engine = load("""
                security: allowlist
                ask: always
                askFallback: allowlist
                allow:
                  - path: "C:/Windows/System32/cmd.exe"
                """);
        Evaluation asked = engine.evaluate(request("cmd", "/c", "dir"));
        assertThat(asked.verdict()).isEqualTo(Verdict.ASK);
        assertThat(asked.allowlisted()).isFalse();
        assertThat(engine.fallback(asked).verdict()).isEqualTo(Verdict.DENY);
    }

    @Test
    void allowAlwaysIsWrittenToTheApprovedFileAndMatchesOnlyThatExactCommand() throws Exception {
        PolicyEngine engine = load(POLICY);
        CommandRequest fetch = request("GIT", "fetch", "--all", "--prune");
        Evaluation asked = engine.evaluate(fetch);
        engine.approveAlways(fetch, asked);

        String text = Files.readString(approvedFile);
        assertThat(text).contains("Delete an entry to revoke it")
                .contains("path: \"C:/Program Files/Git/cmd/git.exe\"")
                .contains("args: [\"fetch --all --prune\"]")
                .contains("workdirs: [\"C:/OpenClaw\"]")
                .contains("approvedAt: \"2026-11-22T00:30:00Z\"");

        Evaluation now = engine.evaluate(request("git", "fetch", "--all", "--prune"));
        assertThat(now.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(now.decision().rule()).isEqualTo("approved[0] C:/Program Files/Git/cmd/git.exe fetch --all --prune");
        // Not a wider command, not another workdir.
        assertThat(engine.evaluate(request("git", "fetch", "--all", "--prune", "--upload-pack=x")).verdict()).isEqualTo(Verdict.ASK);
        assertThat(engine.evaluate(new CommandRequest(List.of("git", "fetch", "--all", "--prune"), "C:\\Elsewhere", Map.of(),
                null, null)).verdict()).isEqualTo(Verdict.ASK);

        // A restarted agent reads it back.
        PolicyEngine restarted = new PolicyEngine(Policy.load(policyFile), win.host);
        assertThat(restarted.policy().approved()).hasSize(1);
        assertThat(restarted.evaluate(request("git", "fetch", "--all", "--prune")).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void appendingKeepsEarlierEntriesAndDoesNotDuplicate() throws Exception {
        PolicyEngine engine = load(POLICY);
        CommandRequest fetch = request("git", "fetch");
        CommandRequest pull = request("git", "pull", "--ff-only");
        engine.approveAlways(fetch, engine.evaluate(fetch));
        engine.approveAlways(pull, engine.evaluate(pull));
        // The same command approved again (its evaluation now allows) is not written twice.
        engine.approveAlways(fetch, engine.evaluate(fetch));
        List<AllowRule> entries = Policy.load(policyFile).approved();
        assertThat(entries).extracting(r -> r.args().get(0)).containsExactly("fetch", "pull --ff-only");
        assertThat(Files.readString(approvedFile)).containsOnlyOnce("2026-11-22T00:30:00Z\"\n  - path")
                .doesNotContain(".tmp");
        try (var files = Files.list(approvedFile.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void argumentsWithSpacesAndGlobCharactersAreRecordedExactly() throws Exception {
        PolicyEngine engine = load(POLICY);
        CommandRequest odd = request("git", "log", "--grep=a b*", "it's", "");
        engine.approveAlways(odd, engine.evaluate(odd));
        PolicyEngine restarted = new PolicyEngine(Policy.load(policyFile), win.host);
        assertThat(restarted.evaluate(odd).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(restarted.evaluate(request("git", "log", "--grep=a bcd", "it's", "")).verdict()).isEqualTo(Verdict.ASK);
    }

    @Test
    void anAdministratorRemovingAnEntryRevokesIt() throws Exception {
        PolicyEngine engine = load(POLICY);
        CommandRequest fetch = request("git", "fetch");
        CommandRequest pull = request("git", "pull");
        engine.approveAlways(fetch, engine.evaluate(fetch));
        Files.writeString(approvedFile, "approved: []\n");
        // The next approval re-reads the file, so the removed entry is not written back...
        engine.approveAlways(pull, engine.evaluate(pull));
        assertThat(Policy.load(policyFile).approved()).extracting(r -> r.args().get(0)).containsExactly("pull");
        // ...and is no longer in force.
        assertThat(engine.evaluate(fetch).verdict()).isEqualTo(Verdict.ASK);
    }

    @Test
    void anInvalidApprovedFileIsNotOverwritten() throws Exception {
        PolicyEngine engine = load(POLICY);
        Files.writeString(approvedFile, "approved:\n  - pth: x\n");
        CommandRequest fetch = request("git", "fetch");
        assertThatThrownBy(() -> engine.approveAlways(fetch, engine.evaluate(fetch))).isInstanceOf(IOException.class)
                .hasMessageContaining("not written");
        assertThat(Files.readString(approvedFile)).isEqualTo("approved:\n  - pth: x\n");
    }

    @Test
    void approvedEntriesSatisfyTheWrapperRuleButNotDenyRulesOrAskAlways() throws Exception {
        PolicyEngine engine = load(POLICY);
        CommandRequest wrapper = request("cmd.exe", "/c", "echo", "hi");
        Evaluation asked = engine.evaluate(wrapper);
        assertThat(asked.verdict()).isEqualTo(Verdict.ASK);
        engine.approveAlways(wrapper, asked);
        assertThat(engine.evaluate(wrapper).verdict()).isEqualTo(Verdict.ALLOW);

        CommandRequest reset = request("git", "reset", "--hard");
        assertThat(engine.evaluate(reset).error().code()).isEqualTo("DENIED_BY_RULE");
        assertThatThrownBy(() -> engine.approveAlways(reset, engine.evaluate(reset))).isInstanceOf(IllegalArgumentException.class);

        PolicyEngine always = load(POLICY.replace("ask: on-miss", "ask: always"));
        assertThat(always.evaluate(wrapper).verdict()).isEqualTo(Verdict.ASK);
        assertThat(always.evaluate(wrapper).askReason()).isEqualTo("ask: always");
    }

    @Test
    void withoutAnApprovedFileApprovalsStayInMemory() throws Exception {
        PolicyEngine engine = new PolicyEngine(Policy.parse(POLICY, null), win.host);
        CommandRequest fetch = request("git", "fetch");
        engine.approveAlways(fetch, engine.evaluate(fetch));
        assertThat(engine.evaluate(fetch).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(engine.approved()).hasSize(1);
        assertThat(Files.exists(approvedFile)).isFalse();
    }
}
