package dev.hostops.node.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.SecurityMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileTest {
    @TempDir
    Path dir;

    private static Policy parse(String yaml) throws PolicyException {
        return Policy.parse(yaml, null);
    }

    private static void fails(String yaml, String... fragments) {
        var assertion = assertThatThrownBy(() -> parse(yaml)).isInstanceOf(PolicyException.class);
        for (String f : fragments) {
            assertion.hasMessageContaining(f);
        }
    }

    @Test
    void theDesignExampleLoadsWithEveryKey() throws Exception {
        Policy p = parse(WindowsPolicyEngineTest.POLICY + "requireSignature: true\n");
        assertThat(p.security()).isEqualTo(SecurityMode.ALLOWLIST);
        assertThat(p.ask()).isEqualTo(AskMode.ON_MISS);
        assertThat(p.askFallback()).isEqualTo(AskFallback.DENY);
        assertThat(p.approvalTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(p.requireSignature()).isTrue();
        assertThat(p.allow()).hasSize(6);
        assertThat(p.allow().get(0).workdirs()).containsExactly("C:/OpenClaw");
        assertThat(p.deny()).hasSize(2);
        assertThat(p.deny().get(1).args()).containsExactly("compose down -v*", "system prune*");
        assertThat(p.approvedFile()).isEmpty();
    }

    @Test
    void defaultsForOptionalKeys() throws Exception {
        Policy p = parse("security: full\n");
        assertThat(p.ask()).isEqualTo(AskMode.ON_MISS);
        assertThat(p.askFallback()).isEqualTo(AskFallback.DENY);
        assertThat(p.approvalTimeout()).isEqualTo(Policy.DEFAULT_APPROVAL_TIMEOUT);
        assertThat(p.requireSignature()).isFalse();
        assertThat(p.allow()).isEmpty();
    }

    @Test
    void bareOffAndAllowAreReadAsWritten() throws Exception {
        assertThat(parse("security: allowlist\nask: off\n").ask()).isEqualTo(AskMode.OFF);
        assertThat(parse("security: allowlist\nask: always\naskFallback: allow\n").askFallback()).isEqualTo(AskFallback.FULL);
        assertThat(parse("security: allowlist\nask: always\naskFallback: full\n").askFallback()).isEqualTo(AskFallback.FULL);
        assertThat(parse("security: allowlist\nask: always\naskFallback: allowlist\n").askFallback())
                .isEqualTo(AskFallback.ALLOWLIST);
        // allow and full are one choice: the same digest, the one allow had before full existed
        assertThat(parse("security: allowlist\naskFallback: allow\n").digest())
                .isEqualTo(parse("security: allowlist\naskFallback: full\n").digest());
    }

    @Test
    void durationsTakeAUnit() throws Exception {
        assertThat(parse("security: deny\napprovalTimeout: 2m\n").approvalTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(parse("security: deny\napprovalTimeout: 500ms\n").approvalTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(parse("security: deny\napprovalTimeout: PT1H\n").approvalTimeout()).isEqualTo(Duration.ofHours(1));
        fails("security: deny\napprovalTimeout: 120\n", "approvalTimeout", "120s");
        fails("security: deny\napprovalTimeout: 0s\n", "approvalTimeout", "positive");
        fails("security: deny\napprovalTimeout: soon\n", "approvalTimeout", "'soon'");
    }

    @Test
    void unknownKeysAreErrorsNamingTheKeyAndLine() {
        fails("security: allowlist\nsecruity: full\n", "unknown key 'secruity'", "line 2", "security");
        fails("security: allowlist\nallow:\n  - path: /usr/bin/git\n    arg: [\"status\"]\n", "unknown key 'allow[0].arg'",
                "line 4", "args");
        fails("security: allowlist\ndeny:\n  - path: /usr/bin/git\n    workdirs: [/srv]\n", "unknown key 'deny[0].workdirs'");
    }

    @Test
    void badValuesNameTheKeyAndTheAllowedValues() {
        fails("security: allow\n", "'security'", "deny | allowlist | full", "'allow'");
        fails("security: allowlist\nask: sometimes\n", "'ask'", "off | on-miss | always");
        fails("security: allowlist\naskFallback: maybe\n", "'askFallback'", "deny | allowlist | full | allow");
        fails("security: allowlist\nrequireSignature: perhaps\n", "requireSignature");
        fails("ask: off\n", "'security' is required");
        fails("", "empty");
        fails("security: allowlist\nsecurity: full\n", "security");
    }

    @Test
    void wrongShapesNameTheKey() {
        fails("security: allowlist\nallow: /usr/bin/git\n", "allow");
        fails("security: allowlist\nallow:\n  - path: /usr/bin/git\n    args: status\n", "allow[0].args", "list");
        fails("security: [allowlist]\n", "security");
        fails("- a\n- b\n", "document");
    }

    @Test
    void rulesAreCheckedWhenLoaded() {
        fails("security: allowlist\nallow:\n  - args: [\"x\"]\n", "allow[0].path", "required");
        fails("security: allowlist\nallow:\n  - path: git\n", "allow[0].path", "absolute", "where.exe git");
        fails("security: allowlist\nallow:\n  - path: /usr/bin/git\n    args: [\"commit -m 'x\"]\n", "allow[0].args[0]",
                "unterminated quote");
        fails("security: allowlist\nallow:\n  - path: /usr/bin/git\n    workdirs: [srv/app]\n", "allow[0].workdirs[0]",
                "absolute");
        fails("security: allowlist\nallow:\n  - path: /usr/bin/git\n    workdirs: [\"/srv/*\"]\n", "allow[0].workdirs[0]", "glob");
        fails("security: allowlist\ndeny:\n  - path: \"\"\n", "deny[0].path");
        fails("security: allowlist\nallow:\n  -\n", "allow[0]");
        String env = "security: allowlist\nallow:\n  - path: /usr/bin/git\n    env: ";
        fails(env + "[\"*\"]\n", "allow[0].env[0]", "any variable");
        fails(env + "[GIT_TERMINAL_PROMPT, PATH]\n", "allow[0].env[1]", "never be set");
        fails(env + "[\"LD_*\"]\n", "allow[0].env[0]", "never be set");
        fails(env + "[\"GIT_*_X\"]\n", "allow[0].env[0]", "trailing *");
        fails(env + "[\"A=B\"]\n", "allow[0].env[0]", "not a variable name");
        fails(env + "[\"\"]\n", "allow[0].env[0]", "empty");
        fails("security: allowlist\ndeny:\n  - path: /usr/bin/git\n    env: [HOME]\n", "env");
    }

    @Test
    void envListsAreReadAndChangeTheDigest() throws Exception {
        String a = "security: allowlist\nallow:\n  - path: /usr/bin/git\n";
        String listed = a + "    env: [GIT_TERMINAL_PROMPT, \"LC_*\"]\n";
        assertThat(parse(listed).allow().get(0).env()).containsExactly("GIT_TERMINAL_PROMPT", "LC_*");
        assertThat(parse(listed).digest()).isNotEqualTo(parse(a).digest());
        // An entry without env keeps the digest it had before env lists existed.
        assertThat(parse(a).digest()).isEqualTo(parse(a + "    env: []\n").digest());
    }

    @Test
    void digestIgnoresLayoutButNotMeaning() throws Exception {
        String a = "security: allowlist\nask: on-miss\nallow:\n  - path: /usr/bin/git\n    args: [\"status *\"]\n";
        String b = "# comment\nallow:\n- path: '/usr/bin/git'\n  args:\n    - status *\nsecurity: \"allowlist\"\naskFallback: deny\n"
                + "approvalTimeout: 2m\n";
        assertThat(parse(a).digest()).isEqualTo(parse(b).digest()).startsWith("sha256:").hasSize(7 + 64);
        assertThat(parse(a.replace("status *", "status")).digest()).isNotEqualTo(parse(a).digest());
        assertThat(parse(a.replace("on-miss", "always")).digest()).isNotEqualTo(parse(a).digest());
    }

    @Test
    void loadResolvesTheApprovedFileNextToThePolicy() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "security: allowlist\n");
        assertThat(Policy.load(file).approvedFile()).contains(dir.resolve("approved.yaml"));
        Files.writeString(file, "security: allowlist\napprovedFile: state/ok.yaml\n");
        assertThat(Policy.load(file).approvedFile()).contains(dir.resolve("state/ok.yaml"));
        assertThatThrownBy(() -> Policy.load(dir.resolve("missing.yaml"))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("missing.yaml");
    }

    @Test
    void loadNamesTheFileInErrors() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "security: allowlist\nask: maybe\n");
        assertThatThrownBy(() -> Policy.load(file)).hasMessageContaining(file.toString()).hasMessageContaining("'ask'");
    }

    /**
     * From the docs walkthrough: "The policy file policy2.yaml does not exist" said neither where it
     * was looked for nor what a policy file is; a tab gave two line numbers.
     */
    @Test
    void aMissingFileIsNamedWholeWithWhereToStartAndAYamlErrorOnce() throws Exception {
        Path missing = Path.of("no-such-policy.yaml");
        assertThatThrownBy(() -> Policy.load(missing)).isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("The policy file " + missing.toAbsolutePath() + " does not exist.")
                .hasMessageContaining("docs/POLICY.md").hasMessageContaining("hostops policy check --policy FILE");
        Path tabs = dir.resolve("tabs.yaml");
        Files.writeString(tabs, "security: allowlist\nallow:\n\t- path: /usr/bin/git\n");
        assertThatThrownBy(() -> Policy.load(tabs)).isInstanceOf(PolicyException.class)
                .hasMessage(tabs + ": line 3, column 1: a tab character, which YAML does not allow for indentation; indent with spaces");
    }

    @Test
    void aBrokenApprovedFileStopsTheLoad() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "security: allowlist\n");
        Files.writeString(dir.resolve("approved.yaml"), "approved:\n  - path: /usr/bin/git\n    argz: [x]\n");
        assertThatThrownBy(() -> Policy.load(file)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("approved.yaml").hasMessageContaining("approved[0].argz");
    }

    @Test
    void ofChecksLikeTheFile() {
        assertThatThrownBy(() -> Policy.of(SecurityMode.ALLOWLIST, AskMode.OFF, AskFallback.DENY, Duration.ofSeconds(1),
                List.of(AllowRule.of("git")), List.of(), false, null, List.of()))
                .isInstanceOf(PolicyException.class).hasMessageContaining("allow[0].path");
    }
}
