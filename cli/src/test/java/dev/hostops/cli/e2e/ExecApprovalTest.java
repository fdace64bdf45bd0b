package dev.hostops.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that asks a person first (ask: always), a real agent: a waiting {@code POST} answers as
 * soon as the node asks, with why and until when, unless told to wait through it; {@code hostops
 * exec --wait} says what to type and runs the command once someone approves.
 */
class ExecApprovalTest {
    static final String TOKEN = "approval-test-token-0123456789abcdef0123";
    static final String OPS = "approval-test-ops-0123456789abcdef012345";
    static final String NODE = "asking-node";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path tmp;

    static LocalStack stack;
    static Path hello;

    @BeforeAll
    static void start() throws Exception {
        Path root = tmp.toRealPath();
        hello = root.resolve("hello");
        Files.writeString(hello, "#!/bin/sh\necho \"hello $1\"\n");
        Files.setPosixFilePermissions(hello, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path policy = root.resolve("policy.yaml");
        Files.writeString(policy, "security: allowlist\nask: always\naskFallback: deny\napprovalTimeout: 60s\n"
                + "allow:\n  - path: \"" + hello + "\"\n");
        stack = LocalStack.start(root, TOKEN, OPS);
        stack.agent(NODE, policy, "normal");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aWaitingPostAnswersWhenTheNodeAsksAndWaitsThroughItWhenTold() throws Exception {
        String id = "ask-" + UUID.randomUUID();
        String body = "{\"id\":\"" + id + "\",\"node\":\"" + NODE + "\",\"argv\":[\"" + hello + "\",\"api\"]}";

        HttpResponse<String> asked = post("/v1/commands?wait=50", TOKEN, body);
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        JsonNode c = JSON.readTree(asked.body());
        assertThat(c.path("status").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(c.path("approval").path("state").asText()).isEqualTo("PENDING");
        assertThat(c.path("approval").path("reason").asText()).contains("ask");
        assertThat(c.path("approval").path("deadline").asText()).isNotEmpty();

        // The same id again, waiting through the approval: it answers once a person decided and the node ran it.
        CompletableFuture<HttpResponse<String>> through = CompletableFuture.supplyAsync(
                () -> post("/v1/commands?wait=50&approval=wait", TOKEN, body));
        Thread.sleep(300);
        assertThat(through).isNotDone();
        HttpResponse<String> decided = post("/v1/approvals/" + id, OPS, "{\"decision\":\"allow-once\"}");
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        HttpResponse<String> done = through.get(50, TimeUnit.SECONDS);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        JsonNode finished = JSON.readTree(done.body());
        assertThat(finished.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(finished.path("result").path("stdoutTail").asText()).isEqualTo("hello api\n");
        assertThat(finished.path("approval").path("decision").asText()).isEqualTo("allow-once");
    }

    @Test
    void execWaitSaysHowToApproveAndRunsOnceApproved() throws Exception {
        String id = "cli-ask-" + UUID.randomUUID();
        CompletableFuture<Captured> run = CompletableFuture.supplyAsync(() -> Captured.run("exec", "--url", stack.url(),
                "--token", TOKEN, "--node", NODE, "--id", id, "--wait", "--", hello.toString(), "cli"));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/v1/approvals?state=pending").contains(id));
        // Answer only once the CLI follows the command (its stream is open, and the dispatcher sends it
        // the pending request on joining): a person answering faster than that has nothing to be told.
        await().atMost(Duration.ofSeconds(20)).until(ExecApprovalTest::aStreamIsOpen);
        Thread.sleep(300);
        HttpResponse<String> decided = post("/v1/approvals/" + id, OPS, "{\"decision\":\"allow-once\"}");
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);

        Captured c = run.get(60, TimeUnit.SECONDS);
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).isEqualTo("hello cli\n");
        assertThat(c.err()).contains("hostops exec: " + id + " on " + NODE)
                .contains("waiting for a person to approve " + id)
                .contains("hostops approve " + id + " allow-once | allow-always | deny");

        Captured shown = Captured.run("commands", "--url", stack.url(), "--token", TOKEN, id);
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("SUCCEEDED").contains("approval: ALLOWED (").contains(", allow-once by api:ops");
    }

    @Test
    void approvalsFollowPrintsEachNewRequestWithTheCommandThatAnswersIt() throws Exception {
        CompletableFuture<Captured> watching = CompletableFuture.supplyAsync(() -> Captured.run("approvals", "--url", stack.url(),
                "--token", OPS, "--follow", "--limit", "1"));
        // Ask once the watcher's event stream is open (the dispatcher counts open streams).
        await().atMost(Duration.ofSeconds(20)).until(ExecApprovalTest::aStreamIsOpen);
        String id = "watched-" + UUID.randomUUID();
        HttpResponse<String> asked = post("/v1/commands?wait=30", TOKEN,
                "{\"id\":\"" + id + "\",\"node\":\"" + NODE + "\",\"argv\":[\"" + hello + "\",\"watched\"]}");
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);

        Captured c = watching.get(30, TimeUnit.SECONDS);
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).contains(NODE + "  " + id + "  asks: ask: always").contains(hello + " watched")
                .contains("  hostops approve " + id + " allow-once | allow-always | deny");
        post("/v1/approvals/" + id, OPS, "{\"decision\":\"deny\"}");
    }

    /** A request made while the watcher's stream was down (here: the dispatcher restarted) is shown when it is back. */
    @Test
    void approvalsFollowMissesNoRequestAcrossADispatcherRestart() throws Exception {
        CompletableFuture<Captured> watching = CompletableFuture.supplyAsync(() -> Captured.run("approvals", "--url", stack.url(),
                "--token", OPS, "--follow", "--limit", "2"));
        await().atMost(Duration.ofSeconds(20)).until(ExecApprovalTest::aStreamIsOpen);
        String before = "before-" + UUID.randomUUID();
        assertThat(post("/v1/commands?wait=30", TOKEN, "{\"id\":\"" + before + "\",\"node\":\"" + NODE
                + "\",\"argv\":[\"" + hello + "\",\"one\"]}").statusCode()).isEqualTo(202);
        stack.restartDispatcher();
        // Asked at once: the watcher is still waiting to follow again, so it sees this one only by listing.
        String during = "during-" + UUID.randomUUID();
        assertThat(post("/v1/commands?wait=30", TOKEN, "{\"id\":\"" + during + "\",\"node\":\"" + NODE
                + "\",\"argv\":[\"" + hello + "\",\"two\"]}").statusCode()).isEqualTo(202);

        Captured c = watching.get(60, TimeUnit.SECONDS);
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).contains(before + "  asks:").contains(during + "  asks:")
                .contains("hostops approve " + during + " allow-once | allow-always | deny");
        post("/v1/approvals/" + before, OPS, "{\"decision\":\"deny\"}");
        post("/v1/approvals/" + during, OPS, "{\"decision\":\"deny\"}");
    }

    @Test
    void theApproverSeesTheVariablesTheCommandSets() throws Exception {
        // The allow entry lists no env, so a command that sets variables is a miss, and a person sees each value:
        // GIT_TRACE=<file> would make a git append to that file.
        String id = "env-" + UUID.randomUUID();
        HttpResponse<String> asked = post("/v1/commands?wait=30", TOKEN, "{\"id\":\"" + id + "\",\"node\":\"" + NODE
                + "\",\"argv\":[\"" + hello + "\",\"env\"],\"env\":{\"GIT_TRACE\":\"/root/.ssh/authorized_keys\",\"LANG\":\"C\"}}");
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        JsonNode approval = JSON.readTree(asked.body()).path("approval");
        assertThat(approval.path("reason").asText()).startsWith("allowlist miss: the command sets GIT_TRACE, which allow[0]");
        assertThat(approval.path("env").path("GIT_TRACE").asText()).isEqualTo("/root/.ssh/authorized_keys");

        JsonNode pending = JSON.readTree(get("/v1/approvals?state=pending"));
        JsonNode listed = null;
        for (JsonNode a : pending.path("approvals")) {
            listed = a.path("id").asText().equals(id) ? a : listed;
        }
        assertThat(listed).as(pending.toString()).isNotNull();
        assertThat(listed.path("env").path("LANG").asText()).isEqualTo("C");

        Captured shown = Captured.run("approvals", "--url", stack.url(), "--token", OPS);
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("GIT_TRACE=/root/.ssh/authorized_keys LANG=C " + hello + " env")
                .as("the deadline to the second, not the nanosecond").containsPattern(" \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\s*\n")
                .doesNotContainPattern("T\\d\\d:\\d\\d:\\d\\d\\.\\d");
        post("/v1/approvals/" + id, OPS, "{\"decision\":\"deny\"}");
        Captured all = Captured.run("approvals", "--url", stack.url(), "--token", OPS, "--state", "all");
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out()).containsPattern(id + " .* DENIED ");
    }

    @Test
    void onManyNodesANodeThatAsksIsAnnouncedWithTheCommandThatAnswersIt() throws Exception {
        CompletableFuture<Captured> run = CompletableFuture.supplyAsync(() -> Captured.run("exec", "--url", stack.url(),
                "--token", TOKEN, "--nodes", NODE, "--wait", "--", hello.toString(), "fleet"));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/v1/approvals?state=pending").contains("\"" + NODE + "\""));
        JsonNode pending = JSON.readTree(get("/v1/approvals?state=pending")).path("approvals").get(0);
        String id = pending.path("id").asText();
        Thread.sleep(1_500); // the CLI looks at a request once a second (FanOutExec.POLL_MS): let it see this state
        assertThat(post("/v1/approvals/" + id, OPS, "{\"decision\":\"allow-once\"}").statusCode()).isEqualTo(200);

        Captured c = run.get(60, TimeUnit.SECONDS);
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).contains(NODE + "  SUCCEEDED");
        assertThat(c.err()).contains("hostops exec: " + NODE + " waits for a person to approve " + id
                + ": hostops approve " + id + " allow-once | allow-always | deny");
    }

    /** A follower that joins a command already waiting for a person is told so, with the reason, by the dispatcher. */
    @Test
    void logsFollowJoiningAWaitingCommandSaysWhatItWaitsFor() throws Exception {
        String id = "late-" + UUID.randomUUID();
        assertThat(post("/v1/commands", TOKEN, "{\"id\":\"" + id + "\",\"node\":\"" + NODE + "\",\"argv\":[\""
                + hello + "\",\"late\"]}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/v1/approvals?state=pending").contains(id));

        CompletableFuture<Captured> following = CompletableFuture.supplyAsync(() -> Captured.run("logs", "--url", stack.url(),
                "--token", TOKEN, "-f", id));
        await().atMost(Duration.ofSeconds(20)).until(ExecApprovalTest::aStreamIsOpen);
        Thread.sleep(300);
        assertThat(post("/v1/approvals/" + id, OPS, "{\"decision\":\"allow-once\"}").statusCode()).isEqualTo(200);

        Captured c = following.get(60, TimeUnit.SECONDS);
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).isEqualTo("hello late\n");
        assertThat(c.err()).contains("hostops logs: waiting for a person to approve " + id + " (ask: always")
                .contains("; the node decides by itself at ")
                .contains("hostops logs: answer with: hostops approve " + id + " allow-once | allow-always | deny");
    }

    @Test
    void aDeniedCommandExits126AndItsJsonWaitDoesNotSpin() throws Exception {
        String id = "cli-deny-" + UUID.randomUUID();
        CompletableFuture<Captured> run = CompletableFuture.supplyAsync(() -> Captured.run("exec", "--url", stack.url(),
                "--token", TOKEN, "--node", NODE, "--id", id, "--json", "--wait", "--", hello.toString(), "never"));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/v1/approvals?state=pending").contains(id));
        // While a person decides, the --json wait holds one request (approval=wait) instead of asking
        // again and again: no submission is answered meanwhile (the counter counts answered ones).
        double before = submissionsAnswered();
        Thread.sleep(500);
        assertThat(submissionsAnswered()).isEqualTo(before);
        assertThat(post("/v1/approvals/" + id, OPS, "{\"decision\":\"deny\"}").statusCode()).isEqualTo(200);

        Captured c = run.get(60, TimeUnit.SECONDS);
        assertThat(c.exitCode()).as(c.err()).isEqualTo(126);
        assertThat(c.out()).contains("\"status\" : \"REJECTED\"").contains("APPROVAL_DENIED");
    }

    private static boolean aStreamIsOpen() throws Exception {
        return get("/metrics").lines().anyMatch(l -> l.startsWith("hostops_dispatcher_sse_streams ") && !l.endsWith(" 0.0"));
    }

    /** Answered requests to /v1/commands so far, from the dispatcher's own counter. */
    private static double submissionsAnswered() throws Exception {
        return get("/metrics").lines()
                .filter(l -> l.startsWith("hostops_dispatcher_http_requests_total") && l.contains("route=\"/v1/commands\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static HttpResponse<String> post(String path, String token, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(stack.url() + path)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.url() + path)).header("Authorization", "Bearer " + OPS).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
