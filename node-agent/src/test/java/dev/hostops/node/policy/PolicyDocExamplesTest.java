package dev.hostops.node.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The examples in docs/POLICY.md load, and the Windows one does what the page says with the seed's commands. */
class PolicyDocExamplesTest {
    private final WindowsHost win = new WindowsHost();

    @AfterEach
    void close() throws Exception {
        win.close();
    }

    /** The first ```yaml block after the line that starts with {@code marker}. */
    static String example(String marker) throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/POLICY.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/POLICY.md above the working directory").isNotNull();
        String doc = Files.readString(dir.resolve("docs/POLICY.md"));
        int at = doc.indexOf("\n" + marker);
        assertThat(at).as(marker).isPositive();
        int start = doc.indexOf("```yaml\n", at) + "```yaml\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    /** As an orchestrator sends it: git with GIT_TERMINAL_PROMPT=0 (a fetch must not wait for a password), others bare. */
    private Evaluation run(PolicyEngine engine, String command) {
        List<String> argv = CommandLine.split(command);
        return run(engine, command, argv.get(0).equals("git") ? Map.of("GIT_TERMINAL_PROMPT", "0") : Map.of());
    }

    private Evaluation run(PolicyEngine engine, String command, Map<String, String> env) {
        return engine.evaluate(new CommandRequest(CommandLine.split(command), "C:\\OpenClaw", env, null, null));
    }

    @Test
    void theWindowsExampleRunsTheSeedsUpgradeSequence() throws Exception {
        PolicyEngine engine = new PolicyEngine(Policy.parse(example("`C:\\ProgramData\\hostops\\policy.yaml`:"), null), win.host);
        for (String command : List.of("git status --porcelain", "git rev-parse HEAD", "git fetch --all --prune",
                "git switch main", "git pull --ff-only", "docker compose up -d --build openclaw-gateway",
                "docker compose ps", "curl.exe -fsS http://127.0.0.1:18789/healthz",
                "curl.exe -fsS http://127.0.0.1:18789/readyz", "docker compose logs --tail=80 openclaw-gateway",
                "pwsh -File C:\\HostOps\\upgrade-openclaw.ps1 -RepoPath C:\\OpenClaw -ComposePath C:\\OpenClaw -Ref main",
                "pwsh -NoProfile -NonInteractive -File C:\\HostOps\\upgrade-openclaw.ps1 -RollbackOnFailure",
                "git switch --detach origin/main", "git switch --detach 3f2a9c1", "git switch --detach v2026.12.1",
                "git log --oneline -n 5", "git log --oneline -n 20",
                "docker compose exec -T openclaw-gateway node --version")) {
            assertThat(run(engine, command).verdict()).as(command).isEqualTo(Verdict.ALLOW);
        }
        for (String command : List.of("cmd.exe /c git status", "pwsh -Command Get-Process", "git push --force",
                "pwsh -File C:\\Users\\Public\\x.ps1", "curl.exe -fsS http://evil.example/",
                "git log --oneline -n 1 --output=C:\\Users\\Public\\x.txt", "git switch main extra",
                // one argument that git checkout may read as a path or an option: each throws local changes away
                "git checkout main", "git checkout :/", "git checkout *", "git checkout --fo", "git checkout -qf",
                // -V recreates anonymous volumes (their data gone); --remove-orphans removes other containers
                "docker compose up -d --build -V", "docker compose up -d --build --remove-orphans")) {
            assertThat(run(engine, command).verdict()).as(command).isEqualTo(Verdict.ASK);
        }
        // Variables that make an allowed git read another config (which runs programs), write a file, or use a
        // proxy: only the names its entry lists pass, so each of these asks, saying which variable.
        for (String name : List.of("HOME", "USERPROFILE", "XDG_CONFIG_HOME", "GIT_TRACE", "GIT_COMMON_DIR", "https_proxy",
                "GIT_SSL_NO_VERIFY", "CURL_HOME", "OPENCLAW_WORKSPACE_DIR")) {
            Evaluation e = run(engine, "git status --porcelain", Map.of("GIT_TERMINAL_PROMPT", "0", name, "C:\\Users\\Public"));
            assertThat(e.verdict()).as(name).isEqualTo(Verdict.ASK);
            assertThat(e.askReason()).as(name).contains("sets " + name + ", which allow[0]");
        }
        assertThat(run(engine, "docker compose ps", Map.of("GIT_TERMINAL_PROMPT", "0")).verdict())
                .as("a variable listed for git only").isEqualTo(Verdict.ASK);
        for (String command : List.of("git reset --hard HEAD~1", "git clean -fdx", "docker compose down -v",
                "docker compose down --volumes", "docker system prune -af", "docker-compose down -v",
                "git fetch --upload-pack=calc.exe origin", "git checkout -f", "git checkout .",
                "git checkout -- README.md", "git checkout main -- README.md")) {
            Evaluation e = run(engine, command);
            assertThat(e.verdict()).as(command).isEqualTo(Verdict.DENY);
            assertThat(e.error().code()).as(command).isEqualTo("DENIED_BY_RULE");
        }
    }

    /**
     * From the docs walkthrough: OPENCLAW.md's upgrade on a Linux host asked for approval at
     * {@code git rev-parse --abbrev-ref HEAD} and at step 7, and the one-step script had no entry.
     */
    @Test
    void theLinuxExampleRunsOpenclawsUpgradeStepsAndPinsTheScriptsArguments() throws Exception {
        try (java.nio.file.FileSystem fs = com.google.common.jimfs.Jimfs.newFileSystem(com.google.common.jimfs.Configuration.unix())) {
            for (String program : List.of("/usr/bin/git", "/usr/bin/docker", "/usr/bin/curl", "/opt/hostops/scripts/upgrade-openclaw.sh")) {
                Path file = fs.getPath(program);
                Files.createDirectories(file.getParent());
                Files.writeString(file, "#!/bin/sh\n");
            }
            Files.createDirectories(fs.getPath("/srv/app"));
            Files.createDirectories(fs.getPath("/srv/other"));
            HostModel host = HostModel.of(HostModel.OsFamily.LINUX, fs, "/usr/bin", null);
            PolicyEngine engine = new PolicyEngine(Policy.parse(example("`/etc/hostops/policy.yaml`:"), null), host);
            String script = "/opt/hostops/scripts/upgrade-openclaw.sh";
            for (String command : List.of("git status --porcelain", "git rev-parse HEAD", "git rev-parse --abbrev-ref HEAD",
                    "git fetch --all --prune", "git switch main", "git pull --ff-only", "docker compose up -d --build openclaw-gateway",
                    "docker compose ps", "curl -fsS http://127.0.0.1:18789/healthz", "curl -fsS http://127.0.0.1:18789/readyz",
                    "docker compose logs --tail=80 openclaw-gateway", "git switch --detach 4f1c2e0", "git log --oneline -n 5",
                    script + " --repo /srv/app --ref main --rollback-on-failure", script + " --repo /srv/app --ref v2026.12.1")) {
                assertThat(linux(engine, command, "/srv/app").verdict()).as(command).isEqualTo(Verdict.ALLOW);
            }
            // The script runs the programs --git, --docker and --curl name, and works where --repo says.
            for (String command : List.of(script + " --repo /srv/app --ref main --git /usr/bin/curl",
                    script + " --repo /srv/app --ref main --rollback-on-failure --docker /tmp/x",
                    script + " --repo /srv/other --ref main", "docker compose up -d --build -V")) {
                assertThat(linux(engine, command, "/srv/app").verdict()).as(command).isEqualTo(Verdict.ASK);
            }
            assertThat(linux(engine, script + " --repo /srv/app --ref main", "/srv/other").verdict()).as("another workdir")
                    .isEqualTo(Verdict.ASK);
        }
    }

    private static Evaluation linux(PolicyEngine engine, String command, String workdir) {
        List<String> argv = CommandLine.split(command);
        return engine.evaluate(new CommandRequest(argv, workdir,
                argv.get(0).equals("git") ? Map.of("GIT_TERMINAL_PROMPT", "0") : Map.of(), null, null));
    }

    @Test
    void theLinuxExampleLoads() throws Exception {
        Policy p = Policy.parse(example("`/etc/hostops/policy.yaml`:"), null);
        assertThat(p.allow()).hasSize(4);
        assertThat(p.allow().get(0).env()).containsExactly("GIT_TERMINAL_PROMPT");
        assertThat(p.deny()).hasSize(2);
    }

    @Test
    void theReferenceExampleAndTheApprovedFileExampleLoad() throws Exception {
        Path dir = win.dir("C:\\ProgramData\\hostops");
        Policy reference = Policy.parse(example("## The file"), dir);
        assertThat(reference.allow()).hasSize(1);
        assertThat(reference.approvedFile()).contains(dir.resolve("approved.yaml"));
        Files.writeString(dir.resolve("approved.yaml"), example("(quoted where needed)"));
        Files.writeString(dir.resolve("policy.yaml"), "security: allowlist\n");
        assertThat(Policy.load(dir.resolve("policy.yaml")).approved()).containsExactly(
                new AllowRule("C:/Program Files/Git/cmd/git.exe", List.of("fetch --all --prune"), List.of("C:/OpenClaw")));
    }
}
