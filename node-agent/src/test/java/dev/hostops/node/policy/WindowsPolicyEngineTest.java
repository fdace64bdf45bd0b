package dev.hostops.node.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.SecurityMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed's Windows host (Jimfs) with the policy docs/POLICY.md recommends for it. */
class WindowsPolicyEngineTest {
    static final String POLICY = """
            security: allowlist
            ask: on-miss
            askFallback: deny
            approvalTimeout: 120s
            allow:
              - path: "C:/Program Files/Git/cmd/git.exe"
                args: ["status --porcelain", "rev-parse *", "fetch --all --prune", "checkout *", "pull --ff-only",
                       "reset --hard *"]
                workdirs: ["C:/OpenClaw"]
                env: [GIT_TERMINAL_PROMPT, "LC_*"]
              - path: "C:/Program Files/Docker/Docker/resources/bin/docker.exe"
                args: ["compose *", "system *", "ps *"]
                workdirs: ["C:/OpenClaw"]
              - path: "C:/Windows/System32/curl.exe"
                args: ["-fsS http://127.0.0.1:18789/*"]
              - path: "C:/Program Files/PowerShell/7/pwsh.exe"
                args: ["-NoProfile -File C:/HostOps/*.ps1 *", "-File C:/HostOps/*.ps1 *", "-Command *"]
              - path: "C:/Windows/System32/cmd.exe"
              - path: "C:/Tools/*.cmd"
            deny:
              - path: "**/git*"
                args: ["reset --hard*", "clean -*"]
              - path: "**/docker*"
                args: ["compose down -v*", "system prune*"]
            """;

    private final WindowsHost win = new WindowsHost();

    @AfterEach
    void close() throws Exception {
        win.close();
    }

    private PolicyEngine engine(String yaml) throws PolicyException {
        return new PolicyEngine(Policy.parse(yaml, null), win.host);
    }

    private Evaluation evalWith(String yaml, String workdir, String... argv) throws PolicyException {
        return engine(yaml).evaluate(new CommandRequest(List.of(argv), workdir, Map.of(), null, null));
    }

    private Evaluation eval(String workdir, String... argv) throws PolicyException {
        return evalWith(POLICY, workdir, argv);
    }

    private static String off(String yaml) {
        return yaml.replace("ask: on-miss", "ask: off");
    }

    @Test
    void bareNameIsResolvedThroughPathAndPathext() throws Exception {
        Evaluation e = eval("C:\\OpenClaw", "git", "status", "--porcelain");
        assertThat(e.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(e.resolvedExecutable()).isEqualTo("C:\\Program Files\\Git\\cmd\\git.exe");
        assertThat(e.resolvedWorkdir()).isEqualTo("C:\\OpenClaw");
        assertThat(e.decision().decision()).isEqualTo("allow");
        assertThat(e.decision().rule()).isEqualTo("allow[0] C:/Program Files/Git/cmd/git.exe");
        assertThat(eval("C:\\OpenClaw", "docker", "compose", "up", "-d", "--build", "openclaw-gateway").decision().rule())
                .isEqualTo("allow[1] C:/Program Files/Docker/Docker/resources/bin/docker.exe");
        assertThat(eval("C:\\OpenClaw", "curl.exe", "-fsS", "http://127.0.0.1:18789/healthz").verdict()).isEqualTo(Verdict.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"git", "git.exe", "GIT.EXE", "Git", "C:\\Program Files\\Git\\cmd\\git.exe",
            "c:/program files/git/cmd/GIT.EXE", "C:\\PROGRAM FILES\\GIT\\CMD\\git", "..\\Program Files\\Git\\cmd\\git.exe"})
    void everySpellingOfGitMatchesTheSameRule(String argv0) throws Exception {
        Evaluation e = evalWith(off(POLICY), "C:\\OpenClaw", argv0, "rev-parse", "HEAD");
        assertThat(e.verdict()).as(e.toString()).isEqualTo(Verdict.ALLOW);
        assertThat(e.decision().rule()).isEqualTo("allow[0] C:/Program Files/Git/cmd/git.exe");
        assertThat(e.resolvedExecutable()).isEqualToIgnoringCase("C:\\Program Files\\Git\\cmd\\git.exe");
    }

    @Test
    void ruleWrittenInUpperCaseWithBackslashesMatchesToo() throws Exception {
        String yaml = "security: allowlist\nask: off\nallow:\n  - path: 'C:\\PROGRAM FILES\\GIT\\CMD\\GIT.EXE'\n";
        assertThat(evalWith(yaml, "C:\\OpenClaw", "git", "status").verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void theCurrentDirectoryIsNeverSearched() throws Exception {
        // C:\OpenClaw\git.exe exists, but a bare name is looked up in PATH only.
        Evaluation e = eval("C:\\OpenClaw", "git", "status", "--porcelain");
        assertThat(e.resolvedExecutable()).isEqualTo("C:\\Program Files\\Git\\cmd\\git.exe");
        Evaluation build = evalWith(off(POLICY), "C:\\OpenClaw", "build");
        assertThat(build.verdict()).isEqualTo(Verdict.DENY);
        assertThat(build.error().code()).isEqualTo("EXECUTABLE_NOT_FOUND");
        assertThat(build.error().message()).contains("PATH").contains(".COM;.EXE;.BAT;.CMD");
    }

    @Test
    void relativePathEntriesAreSkipped() throws Exception {
        Evaluation e = eval("C:\\OpenClaw", "evil");
        assertThat(e.verdict()).isEqualTo(Verdict.DENY);
        assertThat(e.error().code()).isEqualTo("EXECUTABLE_NOT_FOUND");
    }

    @Test
    void relativeArgv0IsResolvedAgainstTheWorkdirAndJudgedByItsRealPath() throws Exception {
        Evaluation planted = evalWith(off(POLICY), "C:\\OpenClaw", ".\\git.exe", "status", "--porcelain");
        assertThat(planted.verdict()).isEqualTo(Verdict.DENY);
        assertThat(planted.resolvedExecutable()).isEqualTo("C:\\OpenClaw\\git.exe");
        assertThat(planted.error().code()).isEqualTo("ALLOWLIST_MISS");
        Evaluation escape = evalWith(off(POLICY), "C:\\OpenClaw\\sub", "..\\..\\Program Files\\Git\\cmd\\git", "status", "--porcelain");
        // The real path is the real git, so the git rule applies (and C:\OpenClaw\sub is inside C:/OpenClaw).
        assertThat(escape.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(escape.resolvedExecutable()).isEqualTo("C:\\Program Files\\Git\\cmd\\git.exe");
    }

    @Test
    void dotDotInAPathIsJudgedAfterResolution() throws Exception {
        Evaluation e = evalWith(off(POLICY), "C:\\OpenClaw", "C:\\Program Files\\Git\\cmd\\..\\..\\..\\OpenClaw\\git.exe", "status",
                "--porcelain");
        assertThat(e.resolvedExecutable()).isEqualTo("C:\\OpenClaw\\git.exe");
        assertThat(e.error().code()).isEqualTo("ALLOWLIST_MISS");
    }

    @Test
    void aLinkNamedLikeAnAllowedProgramIsJudgedByItsTarget() throws Exception {
        // C:\Links\git.exe -> cmd.exe: the rule for git must not apply.
        win.dir("C:\\Links");
        java.nio.file.Files.createSymbolicLink(win.path("C:\\Links\\git.exe"), win.path("C:\\Windows\\System32\\cmd.exe"));
        String yaml = "security: allowlist\nask: off\nallow:\n  - path: 'C:/Links/git.exe'\n";
        Evaluation e = evalWith(yaml, "C:\\OpenClaw", "C:\\Links\\git.exe", "status");
        assertThat(e.resolvedExecutable()).isEqualTo("C:\\Windows\\System32\\cmd.exe");
        assertThat(e.verdict()).isEqualTo(Verdict.DENY);
        assertThat(e.error().code()).isEqualTo("ALLOWLIST_MISS");
    }

    @Test
    void aLinkToAnAllowedProgramIsAllowed() throws Exception {
        win.dir("C:\\Links");
        java.nio.file.Files.createSymbolicLink(win.path("C:\\Links\\g.exe"), win.path("C:\\Program Files\\Git\\cmd\\git.exe"));
        Evaluation e = evalWith(off(POLICY), "C:\\OpenClaw", "C:\\Links\\g.exe", "status", "--porcelain");
        assertThat(e.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(e.resolvedExecutable()).isEqualTo("C:\\Program Files\\Git\\cmd\\git.exe");
    }

    @Test
    void aWorkdirLinkIsJudgedByItsTarget() throws Exception {
        java.nio.file.Files.createSymbolicLink(win.path("C:\\OpenClaw\\out"), win.path("C:\\Elsewhere"));
        Evaluation e = evalWith(off(POLICY), "C:\\OpenClaw\\out", "git", "status", "--porcelain");
        assertThat(e.resolvedWorkdir()).isEqualTo("C:\\Elsewhere");
        assertThat(e.error().code()).isEqualTo("WORKDIR_NOT_ALLOWED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\\\?\\C:\\Program Files\\Git\\cmd\\git.exe", "\\\\.\\C:\\Program Files\\Git\\cmd\\git.exe",
            "\\\\server\\share\\git.exe", "C:\\PROGRA~1\\Git\\cmd\\git.exe", "C:\\Program Files\\Git\\cmd\\git.exe.",
            "C:\\Program Files\\Git\\cmd\\git.exe ", "git.exe::$DATA", "C:\\Program Files\\Git\\cmd\\git.exe:x",
            "C:git.exe", "\\Program Files\\Git\\cmd\\git.exe"})
    void trickyProgramSpellingsAreRefused(String argv0) throws Exception {
        Evaluation e = eval("C:\\OpenClaw", argv0, "status", "--porcelain");
        assertThat(e.verdict()).isEqualTo(Verdict.DENY);
        assertThat(e.error().code()).isEqualTo("INVALID_FIELD");
        assertThat(e.error().message()).contains("argv[0]");
        assertThat(e.resolvedExecutable()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\\\?\\C:\\OpenClaw", "\\\\server\\share", "C:\\OPENCL~1", "C:\\OpenClaw.", "C:\\OpenClaw:x"})
    void trickyWorkdirSpellingsAreRefused(String workdir) throws Exception {
        Evaluation e = eval(workdir, "git", "status", "--porcelain");
        assertThat(e.error().code()).isEqualTo("INVALID_FIELD");
        assertThat(e.error().message()).contains("workdir");
    }

    @Test
    void nulBytesAreRefusedAnywhere() throws Exception {
        assertThat(eval("C:\\OpenClaw", "git\0.exe").error().code()).isEqualTo("INVALID_FIELD");
        assertThat(eval("C:\\OpenClaw", "git", "status\0--x").error().message()).contains("argv[1]").contains("NUL");
        assertThat(eval("C:\\OpenClaw\0x", "git", "status").error().code()).isEqualTo("INVALID_FIELD");
        Evaluation env = engine(POLICY).evaluate(new CommandRequest(List.of("git", "status"), "C:\\OpenClaw",
                Map.of("X", "a\0b"), null, null));
        assertThat(env.error().code()).isEqualTo("INVALID_FIELD");
    }

    @Test
    void anArgumentJavaCannotPassToAWindowsProgramIntactIsRefusedBeforeItIsJudged() throws Exception {
        // A space and a trailing backslash: the JVM's own quoting would glue the next argument on.
        Evaluation e = eval("C:\\OpenClaw", "git", "checkout", "C:\\Program Files\\", "--upload-pack=calc");
        assertThat(e.verdict()).isEqualTo(Verdict.DENY);
        assertThat(e.error().code()).isEqualTo("INVALID_FIELD");
        assertThat(e.error().message()).contains("argv[2]").contains("trailing backslash");
        // Quotes are fine: the agent escapes them (WindowsCommandLine), so a quoted-looking argument stays one.
        assertThat(eval("C:\\OpenClaw", "git", "checkout", "\"v1 \" --x \"y\"").verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(eval("C:\\OpenClaw", "git", "checkout", "C:\\NoSpace\\").verdict()).isEqualTo(Verdict.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATH", "Path", "path", "PATHEXT", "ComSpec", "PSModulePath", "LD_PRELOAD", "DYLD_INSERT_LIBRARIES",
            "NODE_OPTIONS", "PYTHONPATH", "PYTHONHOME", "BASH_ENV", "ENV", "PERL5LIB", "PERL5OPT", "RUBYOPT", "RUBYLIB",
            "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH", "GIT_EXEC_PATH", "GIT_SSH_COMMAND",
            "GIT_CONFIG", "GIT_CONFIG_GLOBAL", "git_config_count", "GIT_CONFIG_KEY_0", "EDITOR", "BASH_FUNC_x%%"})
    void forbiddenEnvironmentIsRefusedNamingTheVariable(String name) throws Exception {
        Evaluation e = engine(POLICY).evaluate(new CommandRequest(List.of("git", "status", "--porcelain"), "C:\\OpenClaw",
                Map.of("GIT_TERMINAL_PROMPT", "0", name, "x"), null, null));
        assertThat(e.verdict()).isEqualTo(Verdict.DENY);
        assertThat(e.error().code()).isEqualTo("FORBIDDEN_ENV");
        assertThat(e.error().message()).contains(name);
    }

    @Test
    void variablesTheEntryListsAreAcceptedWithoutCaseOnWindows() throws Exception {
        Evaluation e = engine(POLICY).evaluate(new CommandRequest(List.of("git", "status", "--porcelain"), "C:\\OpenClaw",
                Map.of("git_terminal_prompt", "0", "LC_ALL", "C"), null, null));
        assertThat(e.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(e.decision().rule()).startsWith("allow[0] ");
    }

    @Test
    void aVariableTheEntryDoesNotListIsAMissNamingIt() throws Exception {
        // HOME would make git read the sender's .gitconfig (core.fsmonitor runs a program); no bad-name list knows it.
        CommandRequest home = new CommandRequest(List.of("git", "status", "--porcelain"), "C:\\OpenClaw",
                Map.of("GIT_TERMINAL_PROMPT", "0", "HOME", "C:\\Users\\Public"), null, null);
        Evaluation asked = engine(POLICY).evaluate(home);
        assertThat(asked.verdict()).isEqualTo(Verdict.ASK);
        assertThat(asked.askReason()).isEqualTo("allowlist miss: the command sets HOME, which allow[0] "
                + "C:/Program Files/Git/cmd/git.exe does not let it set");
        assertThat(asked.allowlisted()).isFalse();
        Evaluation denied = engine(off(POLICY)).evaluate(home);
        assertThat(denied.error().code()).isEqualTo("ALLOWLIST_MISS");
        assertThat(denied.error().message()).contains("HOME", "allow[0] C:/Program Files/Git/cmd/git.exe");
        // An entry without env lets the command set nothing.
        Evaluation docker = engine(off(POLICY)).evaluate(new CommandRequest(List.of("docker", "compose", "ps"), "C:\\OpenClaw",
                Map.of("COMPOSE_PROJECT_NAME", "hostops"), null, null));
        assertThat(docker.error().code()).isEqualTo("ALLOWLIST_MISS");
        assertThat(docker.error().message()).contains("COMPOSE_PROJECT_NAME", "allow[1]");
    }

    @Test
    void allowAlwaysRecordsTheVariablesTheCommandSet() throws Exception {
        PolicyEngine engine = engine(POLICY);
        CommandRequest trace = new CommandRequest(List.of("git", "log", "-1"), "C:\\OpenClaw", Map.of("GIT_TRACE", "1"), null, null);
        Evaluation asked = engine.evaluate(trace);
        assertThat(asked.verdict()).isEqualTo(Verdict.ASK);
        engine.approveAlways(trace, asked);
        assertThat(engine.approved()).singleElement().extracting(AllowRule::env).isEqualTo(List.of("GIT_TRACE"));
        assertThat(engine.evaluate(trace).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(engine.evaluate(new CommandRequest(trace.argv(), trace.workdir(), Map.of(), null, null)).verdict())
                .as("fewer variables: still the approved command").isEqualTo(Verdict.ALLOW);
        assertThat(engine.evaluate(new CommandRequest(trace.argv(), trace.workdir(),
                Map.of("GIT_TRACE", "1", "HOME", "C:\\x"), null, null)).verdict())
                .as("a variable the person never saw").isEqualTo(Verdict.ASK);
    }

    @Test
    void cmdIsNeverAllowedByItsAllowEntryAlone() throws Exception {
        Evaluation asked = eval("C:\\OpenClaw", "cmd.exe", "/c", "git", "status");
        assertThat(asked.verdict()).isEqualTo(Verdict.ASK);
        assertThat(asked.askReason()).startsWith("shell wrapper");
        assertThat(asked.decision().rule()).isEqualTo("allow[4] C:/Windows/System32/cmd.exe");
        Evaluation denied = evalWith(off(POLICY), "C:\\OpenClaw", "CMD", "/K", "dir");
        assertThat(denied.verdict()).isEqualTo(Verdict.DENY);
        assertThat(denied.error().code()).isEqualTo("SHELL_WRAPPER");
    }

    @Test
    void pwshFileIsNotAWrapperButPwshCommandIs() throws Exception {
        Evaluation file = evalWith(off(POLICY), "C:\\OpenClaw", "pwsh", "-File", "C:\\HostOps\\upgrade-openclaw.ps1", "-RepoPath",
                "C:\\OpenClaw", "-Ref", "main");
        assertThat(file.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(file.resolvedExecutable()).isEqualTo("C:\\Program Files\\PowerShell\\7\\pwsh.exe");
        // The pattern "-File C:/HostOps/*.ps1 *" does not let a script elsewhere through.
        assertThat(evalWith(off(POLICY), "C:\\OpenClaw", "pwsh", "-File", "C:\\HostOps\\..\\OpenClaw\\x.ps1").error().code())
                .isEqualTo("ALLOWLIST_MISS");
        // "-Command *" is on the allowlist, and still only asks.
        Evaluation command = eval("C:\\OpenClaw", "pwsh.exe", "-Command", "Remove-Item C:\\ -Recurse");
        assertThat(command.verdict()).isEqualTo(Verdict.ASK);
        assertThat(command.askReason()).startsWith("shell wrapper");
        assertThat(evalWith(off(POLICY), "C:\\OpenClaw", "pwsh.exe", "-Command", "dir").error().code()).isEqualTo("SHELL_WRAPPER");
    }

    @Test
    void batchFilesWithCmdSyntaxInArgumentsAreWrappers() throws Exception {
        assertThat(evalWith(off(POLICY), "C:\\OpenClaw", "npm", "install").verdict()).isEqualTo(Verdict.ALLOW);
        Evaluation e = evalWith(off(POLICY), "C:\\OpenClaw", "npm", "install", "x&calc.exe");
        assertThat(e.error().code()).isEqualTo("SHELL_WRAPPER");
    }

    @Test
    void nonExecutableExtensionsAreNotFound() throws Exception {
        assertThat(eval("C:\\OpenClaw", "C:\\Tools\\readme.txt").error().code()).isEqualTo("EXECUTABLE_NOT_FOUND");
    }

    @Test
    void denyRulesCatchEachDestructiveExampleEvenWhenAllowed() throws Exception {
        String[][] cases = {
                {"git", "reset", "--hard"},
                {"git", "reset", "--hard", "HEAD~1"},
                {"git", "-C", "C:\\OpenClaw", "reset", "--hard"},
                {"git", "clean", "-fdx"},
                {"docker", "compose", "down", "-v"},
                {"docker", "compose", "-f", "compose.yaml", "down", "-v", "--remove-orphans"},
                {"docker", "system", "prune"},
                {"docker", "system", "prune", "-af"},
                {"C:\\Program Files\\Docker\\Docker\\resources\\bin\\DOCKER.EXE", "system", "prune"}};
        for (String[] argv : cases) {
            Evaluation e = eval("C:\\OpenClaw", argv);
            assertThat(e.verdict()).as(String.join(" ", argv)).isEqualTo(Verdict.DENY);
            assertThat(e.error().code()).isEqualTo("DENIED_BY_RULE");
            assertThat(e.decision().rule()).startsWith("deny[");
        }
        assertThat(eval("C:\\OpenClaw", "docker", "compose", "down", "-v").decision().rule())
                .isEqualTo("deny[1] **/docker* compose down -v*");
        assertThat(eval("C:\\OpenClaw", "git", "reset", "--hard", "HEAD~1").decision().rule())
                .isEqualTo("deny[0] **/git* reset --hard*");
        // Neighbours that are not destructive still pass.
        assertThat(eval("C:\\OpenClaw", "docker", "compose", "down").verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(eval("C:\\OpenClaw", "docker", "system", "df").verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void denyRulesApplyInFullModeAndCannotBeApproved() throws Exception {
        String full = POLICY.replace("security: allowlist", "security: full");
        Evaluation e = evalWith(full, "C:\\OpenClaw", "git", "reset", "--hard");
        assertThat(e.verdict()).isEqualTo(Verdict.DENY);
        assertThat(e.error().code()).isEqualTo("DENIED_BY_RULE");
        Evaluation always = evalWith(full.replace("ask: on-miss", "ask: always"), "C:\\OpenClaw", "git", "clean", "-fdx");
        assertThat(always.verdict()).isEqualTo(Verdict.DENY);
    }

    @Test
    void fullModeAllowsAnythingFoundIncludingWrappers() throws Exception {
        String full = POLICY.replace("security: allowlist", "security: full");
        Evaluation e = evalWith(full, "C:\\Elsewhere", "cmd.exe", "/c", "dir");
        assertThat(e.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(e.decision().decision()).isEqualTo("full");
        assertThat(evalWith(full.replace("ask: on-miss", "ask: always"), "C:\\Elsewhere", "curl", "x").verdict()).isEqualTo(Verdict.ASK);
    }

    @Test
    void workdirMustExistAndBeInsideTheEntrysRoots() throws Exception {
        Evaluation missing = eval("C:\\Nope", "git", "status", "--porcelain");
        assertThat(missing.error().code()).isEqualTo("WORKDIR_NOT_FOUND");
        assertThat(missing.error().message()).contains("C:\\Nope").contains("does not exist");
        Evaluation file = eval("C:\\Tools\\readme.txt", "git", "status", "--porcelain");
        assertThat(file.error().code()).isEqualTo("WORKDIR_NOT_FOUND");
        assertThat(file.error().message()).contains("not a directory");
        assertThat(eval("C:\\OpenClaw\\sub", "git", "status", "--porcelain").verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(eval("c:\\openclaw\\SUB", "git", "status", "--porcelain").verdict()).isEqualTo(Verdict.ALLOW);
        Evaluation outside = evalWith(off(POLICY), "C:\\Elsewhere", "git", "status", "--porcelain");
        assertThat(outside.error().code()).isEqualTo("WORKDIR_NOT_ALLOWED");
        assertThat(outside.error().message()).contains("C:\\Elsewhere").contains("allow[0]");
        Evaluation asked = eval("C:\\Elsewhere", "git", "status", "--porcelain");
        assertThat(asked.verdict()).isEqualTo(Verdict.ASK);
        assertThat(asked.askReason()).startsWith("allowlist miss").contains("workdir");
        // A prefix that is not a parent directory is not inside.
        win.dir("C:\\OpenClawEvil");
        assertThat(evalWith(off(POLICY), "C:\\OpenClawEvil", "git", "status", "--porcelain").error().code())
                .isEqualTo("WORKDIR_NOT_ALLOWED");
        Evaluation noWorkdir = evalWith(off(POLICY), null, "git", "status", "--porcelain");
        assertThat(noWorkdir.error().code()).isEqualTo("WORKDIR_NOT_ALLOWED");
        assertThat(noWorkdir.error().message()).contains("gives no working directory").contains("allow[0]").doesNotContain("null");
        assertThat(eval(null, "git", "status", "--porcelain").askReason()).contains("gives no workdir").doesNotContain("null");
        assertThat(evalWith(off(POLICY), "OpenClaw", "git", "status", "--porcelain").error().code()).isEqualTo("INVALID_FIELD");
    }

    @Test
    void missesAskOrDenyDependingOnAsk() throws Exception {
        Evaluation asked = eval("C:\\OpenClaw", "git", "push", "--force");
        assertThat(asked.verdict()).isEqualTo(Verdict.ASK);
        assertThat(asked.askReason()).startsWith("allowlist miss");
        assertThat(asked.resolvedExecutable()).isEqualTo("C:\\Program Files\\Git\\cmd\\git.exe");
        assertThat(asked.error()).isNull();
        Evaluation denied = evalWith(off(POLICY), "C:\\OpenClaw", "git", "push", "--force");
        assertThat(denied.error().code()).isEqualTo("ALLOWLIST_MISS");
        assertThat(denied.decision().decision()).isEqualTo("deny");
    }

    @Test
    void askAlwaysAsksEvenForAMatch() throws Exception {
        Evaluation e = evalWith(POLICY.replace("ask: on-miss", "ask: always"), "C:\\OpenClaw", "git", "status", "--porcelain");
        assertThat(e.verdict()).isEqualTo(Verdict.ASK);
        assertThat(e.askReason()).isEqualTo("ask: always");
        assertThat(e.decision().rule()).isEqualTo("allow[0] C:/Program Files/Git/cmd/git.exe");
    }

    @Test
    void aCommandCanOnlyMakeThePolicyStricter() throws Exception {
        PolicyEngine allowlistOff = engine(off(POLICY));
        // Asks for full on an allowlist node: stays allowlist, so a miss is still a miss.
        Evaluation full = allowlistOff.evaluate(new CommandRequest(List.of("git", "push"), "C:\\OpenClaw", Map.of(),
                SecurityMode.FULL, AskMode.OFF));
        assertThat(full.error().code()).isEqualTo("ALLOWLIST_MISS");
        // Asks for deny: denied.
        Evaluation deny = allowlistOff.evaluate(new CommandRequest(List.of("git", "status", "--porcelain"), "C:\\OpenClaw",
                Map.of(), SecurityMode.DENY, null));
        assertThat(deny.error().code()).isEqualTo("SECURITY_DENY");
        // Asks for ask: always on an ask: off node: an allowed command asks.
        Evaluation always = allowlistOff.evaluate(new CommandRequest(List.of("git", "status", "--porcelain"), "C:\\OpenClaw",
                Map.of(), SecurityMode.ALLOWLIST, AskMode.ALWAYS));
        assertThat(always.verdict()).isEqualTo(Verdict.ASK);
        assertThat(always.allowlisted()).isTrue();
        // Asks for ask: off on an on-miss node: still asks on a miss.
        Evaluation miss = engine(POLICY).evaluate(new CommandRequest(List.of("git", "push"), "C:\\OpenClaw", Map.of(),
                null, AskMode.OFF));
        assertThat(miss.verdict()).isEqualTo(Verdict.ASK);
        // Asks for allowlist on a full node: the allowlist applies.
        Evaluation narrowed = engine(off(POLICY).replace("security: allowlist", "security: full"))
                .evaluate(new CommandRequest(List.of("git", "push"), "C:\\OpenClaw", Map.of(), SecurityMode.ALLOWLIST, null));
        assertThat(narrowed.error().code()).isEqualTo("ALLOWLIST_MISS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"on-miss", "always"})
    void aCommandsAskNeverMakesAMissOrAShellWrapperAskableOnAnAskOffNode(String commandAsk) throws Exception {
        // With askFallback full, an ASK nobody answers would run: so the sender of a miss must not get one.
        PolicyEngine engine = engine(off(POLICY).replace("askFallback: deny", "askFallback: full"));
        AskMode ask = AskMode.fromWire(commandAsk);
        Evaluation miss = engine.evaluate(new CommandRequest(List.of("git", "push"), "C:\\OpenClaw", Map.of(), null, ask));
        assertThat(miss.verdict()).isEqualTo(Verdict.DENY);
        assertThat(miss.error().code()).isEqualTo("ALLOWLIST_MISS");
        Evaluation wrapper = engine.evaluate(new CommandRequest(List.of("cmd.exe", "/c", "dir"), "C:\\OpenClaw", Map.of(), null, ask));
        assertThat(wrapper.verdict()).isEqualTo(Verdict.DENY);
        assertThat(wrapper.error().code()).isEqualTo("SHELL_WRAPPER");
        Evaluation outside = engine.evaluate(new CommandRequest(List.of("git", "status", "--porcelain"), "C:\\Elsewhere", Map.of(), null, ask));
        assertThat(outside.error().code()).isEqualTo("WORKDIR_NOT_ALLOWED");
        Evaluation env = engine.evaluate(new CommandRequest(List.of("git", "status", "--porcelain"), "C:\\OpenClaw",
                Map.of("HOME", "C:\\x"), null, ask));
        assertThat(env.error().code()).isEqualTo("ALLOWLIST_MISS");
    }

    @Test
    void securityDenyDeniesEverything() throws Exception {
        Evaluation e = evalWith(POLICY.replace("security: allowlist", "security: deny"), "C:\\OpenClaw", "git", "status", "--porcelain");
        assertThat(e.error().code()).isEqualTo("SECURITY_DENY");
        assertThat(e.decision().rule()).isEqualTo("security: deny");
    }

    @Test
    void nullArgumentsAndBadEnvironmentNamesAreRefused() throws Exception {
        Evaluation nullArg = engine(POLICY).evaluate(new CommandRequest(java.util.Arrays.asList("git", null), "C:\\OpenClaw",
                Map.of(), null, null));
        assertThat(nullArg.error().code()).isEqualTo("INVALID_FIELD");
        assertThat(nullArg.error().message()).contains("argv[1]");
        for (String name : List.of("", "A=B", "=C:")) {
            Evaluation e = engine(POLICY).evaluate(new CommandRequest(List.of("git", "status", "--porcelain"), "C:\\OpenClaw",
                    Map.of(name, "x"), null, null));
            assertThat(e.error().code()).as(name).isEqualTo("INVALID_FIELD");
        }
    }

    @Test
    void emptyArgvIsRefused() throws Exception {
        Evaluation e = engine(POLICY).evaluate(new CommandRequest(List.of(), "C:\\OpenClaw", null, null, null));
        assertThat(e.error().code()).isEqualTo("EMPTY_ARGV");
    }
}
