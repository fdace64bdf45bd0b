package dev.hostops.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's upgrade with rollback (docs/OPENCLAW.md, section 6), step by step as Tier 2 sends it:
 * {@code POST /v1/commands?wait=} with step ids, against a real dispatcher, a real node agent, real
 * git on a real repository with an origin, and two scripts standing in for {@code docker compose
 * up} and the health check. The target commit deploys but fails its health check, so the flow
 * rolls back to the commit it remembered, and the tempting shortcut {@code git reset --hard} is
 * refused by the node's deny rule.
 */
class UpgradeFlowTest {
    private static final String TOKEN = "upgrade-flow-token-0123456789abcdef012345";
    private static final String NODE = "HostOps-Linux";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path git;
    private Path repo;
    private Path running;
    private Path seed;
    private Path sh;
    private Path upgradeScript;
    private Path fakeDocker;
    private Path fakeCurl;
    private LocalStack stack;
    private String url;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        git = Programs.onPath("git");
        Path root = tmp.toRealPath();
        // origin with v1 (healthy), a clone at v1, then v2 (it deploys, but is unhealthy) pushed to origin.
        Path origin = root.resolve("origin.git");
        run(root, git.toString(), "init", "-q", "--bare", "-b", "main", origin.toString());
        seed = root.resolve("seed");
        run(root, git.toString(), "clone", "-q", origin.toString(), seed.toString());
        Files.writeString(seed.resolve("VERSION"), "v1\n");
        commit(seed, "v1");
        run(seed, git.toString(), "push", "-q", "origin", "HEAD:main");
        repo = root.resolve("srv/app");
        run(root, git.toString(), "clone", "-q", origin.toString(), repo.toString());
        Files.writeString(seed.resolve("VERSION"), "v2-broken\n");
        commit(seed, "v2");
        run(seed, git.toString(), "push", "-q", "origin", "HEAD:main");

        // "docker compose up -d --build" and the health check of the seed, as two scripts the policy allows.
        Path bin = Files.createDirectories(root.resolve("opt/hostops/scripts"));
        running = root.resolve("running-version");
        script(bin.resolve("deploy.sh"), "cp VERSION " + running + " && echo \"deployed $(cat VERSION)\"");
        script(bin.resolve("health.sh"), "v=$(cat " + running + "); echo \"running $v\"; "
                + "case \"$v\" in *broken*) echo unhealthy >&2; exit 1;; esac");
        // The shipped host-side upgrade script, installed as an administrator would, with docker and
        // curl stood in for by scripts: "compose up" deploys VERSION, the health check fails on a broken one.
        sh = Programs.onPath("sh");
        upgradeScript = Files.copy(repositoryFile("scripts/upgrade/upgrade-openclaw.sh"), bin.resolve("upgrade-openclaw.sh"));
        fakeDocker = bin.resolve("docker");
        script(fakeDocker, "case \"$2\" in up) cp VERSION " + running + " && echo \"up $(cat VERSION)\";; "
                + "logs) echo \"gateway $(cat " + running + ")\";; esac");
        fakeCurl = bin.resolve("curl");
        script(fakeCurl, "case \"$(cat " + running + ")\" in *broken*) exit 22;; esac");
        Path policy = root.resolve("policy.yaml");
        Files.writeString(policy, """
                security: allowlist
                ask: off
                allow:
                  - path: "%s"
                    args: ["status --porcelain", "rev-parse HEAD", "fetch --all --prune", "checkout *", "pull --ff-only"]
                    workdirs: ["%s"]
                  - path: "%s/*.sh"
                    workdirs: ["%s"]
                  - path: "%s"
                    args: ["%s *"]
                    workdirs: ["%s"]
                deny:
                  - path: "**/git*"
                    args: ["reset --hard*", "clean -*"]
                """.formatted(git, repo, bin, repo, sh, upgradeScript, repo));
        stack = LocalStack.start(root, TOKEN);
        stack.agent(NODE, policy, "full");
        url = stack.url();
    }

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anUnhealthyTargetIsRolledBackToTheRememberedCommit() throws Exception {
        String r = "upg-test";
        JsonNode status = step(r + "-01-status", "git", "status", "--porcelain");
        assertThat(status.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(stdout(status)).as("a clean repository").isEmpty();
        String previous = stdout(step(r + "-02-head", "git", "rev-parse", "HEAD")).strip();
        assertThat(step(r + "-03-deploy-current", scriptPath("deploy.sh")).path("status").asText()).isEqualTo("SUCCEEDED");

        assertThat(step(r + "-04-fetch", "git", "fetch", "--all", "--prune").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(step(r + "-05-checkout", "git", "checkout", "main").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(step(r + "-06-pull", "git", "pull", "--ff-only").path("status").asText()).isEqualTo("SUCCEEDED");
        String target = stdout(step(r + "-07-head", "git", "rev-parse", "HEAD")).strip();
        assertThat(target).isNotEqualTo(previous);
        JsonNode deployed = step(r + "-08-deploy", scriptPath("deploy.sh"));
        assertThat(stdout(deployed)).isEqualTo("deployed v2-broken\n");

        JsonNode health = step(r + "-09-health", scriptPath("health.sh"));
        assertThat(health.path("status").asText()).isEqualTo("FAILED");
        assertThat(health.path("result").path("exitCode").asInt()).isEqualTo(1);
        assertThat(health.path("result").path("stderrTail").asText()).contains("unhealthy");

        // The shortcut a model might reach for is refused by the node, and changes nothing.
        JsonNode reset = step(r + "-10-reset", "git", "reset", "--hard", previous);
        assertThat(reset.path("status").asText()).isEqualTo("REJECTED");
        assertThat(reset.path("result").path("error").path("code").asText()).isEqualTo("DENIED_BY_RULE");
        assertThat(git(repo, "rev-parse", "HEAD")).isEqualTo(target);

        // Rollback: back to the remembered commit, deploy it again, and it is healthy.
        assertThat(step(r + "-11-rollback", "git", "checkout", previous).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(stdout(step(r + "-12-redeploy", scriptPath("deploy.sh")))).isEqualTo("deployed v1\n");
        JsonNode healthy = step(r + "-13-health", scriptPath("health.sh"));
        assertThat(healthy.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(stdout(healthy)).isEqualTo("running v1\n");
        assertThat(git(repo, "rev-parse", "HEAD")).isEqualTo(previous);

        // A step sent again (Tier 2 retried after a timeout) is the same command: it did not run twice.
        JsonNode again = post(r + "-12-redeploy", List.of(scriptPath("deploy.sh")));
        assertThat(again.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(again.path("result").path("startedAt").asText())
                .isEqualTo(get(r + "-12-redeploy").path("result").path("startedAt").asText());
        JsonNode all = JSON.readTree(send(HttpRequest.newBuilder(URI.create(url + "/v1/commands?node=" + NODE + "&limit=100"))
                .header("Authorization", "Bearer " + TOKEN).GET().build()));
        assertThat(all.path("commands")).hasSize(13);
    }

    @Test
    void aDirtyRepositoryStopsTheFlowBeforeAnythingChanges() throws Exception {
        Files.writeString(repo.resolve("VERSION"), "edited by hand\n");
        String before = git(repo, "rev-parse", "HEAD");
        JsonNode status = step("upg-dirty-01-status", "git", "status", "--porcelain");
        assertThat(status.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(stdout(status)).isEqualTo(" M VERSION\n");
        // git clean is on the deny list too: a dirty tree is for a person to look at.
        JsonNode clean = step("upg-dirty-02-clean", "git", "clean", "-fdx");
        assertThat(clean.path("result").path("error").path("code").asText()).isEqualTo("DENIED_BY_RULE");
        assertThat(Files.readString(repo.resolve("VERSION"))).isEqualTo("edited by hand\n");
        assertThat(git(repo, "rev-parse", "HEAD")).isEqualTo(before);
    }

    /**
     * The same upgrade as one step: scripts/upgrade/upgrade-openclaw.sh on the host does every step
     * and its own rollback, so it ends well even if the gateway it rebuilds (Tier 2's home) never
     * comes back; its one-line JSON verdict is in the result's stdoutTail, its progress in the logs.
     */
    @Test
    void theUpgradeScriptRollsBackAnUnhealthyTargetByItselfAndUpgradesAHealthyOne() throws Exception {
        String before = git(repo, "rev-parse", "HEAD");
        run(repo, fakeDocker.toString(), "compose", "up", "-d", "--build", "openclaw-gateway"); // v1 is running

        JsonNode broken = post("upg-script-1", upgradeArgv());
        assertThat(broken.path("status").asText()).as(broken.toString()).isEqualTo("FAILED");
        assertThat(broken.path("result").path("exitCode").asInt()).isEqualTo(1);
        JsonNode verdict = verdict(broken);
        assertThat(verdict.path("success").asBoolean(true)).isFalse();
        assertThat(verdict.path("failedStep").asText()).isEqualTo("health");
        assertThat(verdict.path("beforeSha").asText()).isEqualTo(before);
        assertThat(verdict.path("afterSha").asText()).isNotEqualTo(before);
        assertThat(verdict.path("rollbackPerformed").asBoolean()).isTrue();
        assertThat(verdict.path("rollbackHealthy").asBoolean()).isTrue();
        assertThat(verdict.path("logsTail").asText()).isEqualTo("gateway v1");
        assertThat(git(repo, "rev-parse", "HEAD")).isEqualTo(before);
        assertThat(git(repo, "symbolic-ref", "--short", "HEAD")).as("still on its branch").isEqualTo("main");
        assertThat(Files.readString(running)).isEqualTo("v1\n");
        JsonNode logs = JSON.readTree(send(HttpRequest.newBuilder(URI.create(url + "/v1/commands/upg-script-1/logs"))
                .header("Authorization", "Bearer " + TOKEN).GET().build()));
        assertThat(logs.toString()).contains("==> " + git + " fetch --all --prune").contains("==> rolling back to " + before);

        // The broken release is fixed upstream: the same script now upgrades.
        Files.writeString(seed.resolve("VERSION"), "v3\n");
        commit(seed, "v3");
        run(seed, git.toString(), "push", "-q", "origin", "HEAD:main");
        JsonNode fixed = post("upg-script-2", upgradeArgv());
        assertThat(fixed.path("status").asText()).as(fixed.toString()).isEqualTo("SUCCEEDED");
        JsonNode ok = verdict(fixed);
        assertThat(ok.path("success").asBoolean()).isTrue();
        assertThat(ok.path("healthz").asBoolean()).isTrue();
        assertThat(ok.path("rollbackPerformed").asBoolean()).isFalse();
        assertThat(ok.path("afterSha").asText()).isEqualTo(git(seed, "rev-parse", "HEAD")).isEqualTo(git(repo, "rev-parse", "HEAD"));
        assertThat(Files.readString(running)).isEqualTo("v3\n");
    }

    private List<String> upgradeArgv() {
        return List.of(sh.toString(), upgradeScript.toString(), "--repo", repo.toString(), "--rollback-on-failure",
                "--health-timeout", "1", "--git", git.toString(), "--docker", fakeDocker.toString(), "--curl", fakeCurl.toString());
    }

    /** The script's one-line verdict, from the result's stdout tail. */
    private static JsonNode verdict(JsonNode command) throws Exception {
        String out = stdout(command);
        assertThat(out).startsWith("OPENCLAW_RESULT_JSON:").endsWith("\n");
        return JSON.readTree(out.substring("OPENCLAW_RESULT_JSON:".length()));
    }

    /** A file of this repository, found from the module's directory upwards. */
    private static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    /** One step as Tier 2 sends it: waited, with its own id, in the repository. */
    private JsonNode step(String id, String... argv) throws Exception {
        JsonNode c = post(id, Arrays.asList(argv));
        assertThat(c.path("status").asText()).as(c.toString()).isIn("SUCCEEDED", "FAILED", "REJECTED");
        return c;
    }

    private JsonNode post(String id, List<String> argv) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("id", id).put("node", NODE).put("workdir", repo.toString());
        argv.forEach(body.putArray("argv")::add);
        return JSON.readTree(send(HttpRequest.newBuilder(URI.create(url + "/v1/commands?wait=60"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build()));
    }

    private JsonNode get(String id) throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(URI.create(url + "/v1/commands/" + id))
                .header("Authorization", "Bearer " + TOKEN).GET().build()));
    }

    private String send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
        return response.body();
    }

    private static String stdout(JsonNode command) {
        return command.path("result").path("stdoutTail").asText();
    }

    private String scriptPath(String name) {
        return tmp.resolve("opt/hostops/scripts").resolve(name).toString();
    }

    private String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(git.toString()));
        cmd.addAll(List.of(args));
        return run(dir, cmd.toArray(String[]::new)).strip();
    }

    private void commit(Path dir, String message) throws Exception {
        run(dir, git.toString(), "add", "-A");
        run(dir, git.toString(), "-c", "user.name=hostops test", "-c", "user.email=test@hostops.invalid", "commit", "-q", "-m", message);
    }

    private static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    private static void script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
