package dev.hostops.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hostops exec} and the other client commands against a real dispatcher and a real node
 * agent: live output, the remote exit code, a rejection's reason and code, clear client errors.
 */
class ExecCommandTest {
    static final String TOKEN = "exec-test-token-0123456789abcdef0123456789";
    static final String NODE = "cli-node";
    static final String NODE_2 = "cli-node-2";
    /** A token with submit alone, as the coding-agent example of docs/API.md once had. */
    static final String SUBMIT_ONLY = "exec-test-submit-only-0123456789abcdef";

    @TempDir
    static Path tmp;

    static LocalStack stack;
    static String url;
    static Path bin;

    @BeforeAll
    static void start() throws Exception {
        Path root = tmp.toRealPath();
        bin = Files.createDirectories(root.resolve("bin"));
        script("hello", "echo \"hello $1\"; echo warn >&2");
        script("fail", "echo failing >&2; exit 7");
        script("slow", "echo start; sleep 3; echo end");
        script("sleepy", "echo waiting; sleep 60");
        Path policy = root.resolve("policy.yaml");
        Files.writeString(policy, "security: allowlist\nask: off\nallow:\n  - path: \"" + bin + "/*\"\n");
        stack = LocalStack.start(root, TOKEN, null,
                "  - name: coder\n    token: \"" + SUBMIT_ONLY + "\"\n    roles: [submit]\n    nodes: [\"cli-*\"]\n");
        stack.agent(NODE, policy, "normal");
        stack.agent(NODE_2, policy, "normal");
        url = stack.url();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static void script(String name, String body) throws Exception {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Captured exec(String... argv) {
        String[] args = new String[7 + argv.length];
        String[] head = {"exec", "--url", url, "--token", TOKEN, "--node", NODE};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(argv, 0, args, head.length, argv.length);
        return Captured.run(args);
    }

    @Test
    void waitStreamsTheOutputAndExitsZero() {
        Captured c = exec("--wait", "--", bin.resolve("hello").toString(), "world");
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).isEqualTo("hello world\n");
        assertThat(c.err()).contains("warn");
    }

    @Test
    void waitExitsWithTheRemoteExitCode() {
        Captured c = exec("--wait", "--", bin.resolve("fail").toString());
        assertThat(c.exitCode()).isEqualTo(7);
        assertThat(c.err()).contains("failing").contains("exited with 7");
    }

    @Test
    void aRejectionPrintsTheReasonAndExits126() {
        Captured c = exec("--wait", "--", "/usr/bin/touch", tmp.resolve("never").toString());
        assertThat(c.exitCode()).isEqualTo(126);
        assertThat(c.err()).contains("REJECTED").contains("ALLOWLIST_MISS");
        assertThat(tmp.resolve("never")).doesNotExist();
    }

    @Test
    void aCommandStringAndAStricterModeReachTheNode() {
        Captured string = exec("--wait", "--command", bin.resolve("hello") + " string");
        assertThat(string.exitCode()).as(string.err()).isZero();
        assertThat(string.out()).isEqualTo("hello string\n");

        Captured stricter = exec("--wait", "--security", "deny", "--", bin.resolve("hello").toString());
        assertThat(stricter.exitCode()).isEqualTo(126);
        assertThat(stricter.err()).contains("SECURITY_DENY");

        Captured shell = exec("--wait", "--command", bin.resolve("hello") + " x; rm -rf /");
        assertThat(shell.exitCode()).isEqualTo(2);
        assertThat(shell.err()).contains("shell operator ';'");

        Captured neither = exec("--wait");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("after --, or --command STRING");
    }

    /** The dispatcher restarts while exec --wait follows: the output arrives once, whole, and so does the exit code. */
    @Test
    void waitFollowsThroughADispatcherRestart() throws Exception {
        String id = "restart-" + java.util.UUID.randomUUID();
        java.util.concurrent.CompletableFuture<Captured> run = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> exec("--id", id, "--wait", "--", bin.resolve("slow").toString()));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> stack.dispatcher().ledger()
                .command(id).map(c -> c.status() == dev.hostops.contracts.CommandStatus.RUNNING).orElse(false));
        stack.restartDispatcher();

        Captured c = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
        // Seen once under heavy load (session 10): only "end". If it comes back, this says whether the
        // ledger lost the first chunk or the client skipped it.
        String evidence = "stderr: " + c.err() + "\nledger chunks: " + stack.dispatcher().ledger().logs(id, 0, 100)
                + "\nanomalies: " + stack.dispatcher().ledger().anomalies(id);
        assertThat(c.exitCode()).as(evidence).isZero();
        assertThat(c.out()).as(evidence).isEqualTo("start\nend\n");
        assertThat(c.err()).contains("following " + id + " again");
    }

    @Test
    void logsFollowsACommandToItsEndAndShowsItAgainAfter() {
        String id = "logs-" + java.util.UUID.randomUUID();
        assertThat(exec("--id", id, "--", bin.resolve("slow").toString()).exitCode()).isZero();
        Captured followed = Captured.run("logs", "--url", url, "--token", TOKEN, "-f", id);
        assertThat(followed.exitCode()).as(followed.err()).isZero();
        assertThat(followed.out()).isEqualTo("start\nend\n");
        Captured again = Captured.run("logs", "--url", url, "--token", TOKEN, id);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo("start\nend\n");
        Captured unknown = Captured.run("logs", "--url", url, "--token", TOKEN, "-f", "no-such-command");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no command with id 'no-such-command'");
    }

    /**
     * From the docs walkthrough: {@code logs -f} on a CANCELLED or FAILED command printed nothing and
     * exited 0. It says how the command ended, as exec --wait does, and exits with exec's code.
     */
    @Test
    void logsFollowSaysHowTheCommandEndedAndExitsAsExecWould() {
        String failed = "logs-failed-" + java.util.UUID.randomUUID();
        assertThat(exec("--id", failed, "--wait", "--", bin.resolve("fail").toString()).exitCode()).isEqualTo(7);
        Captured f = Captured.run("logs", "--url", url, "--token", TOKEN, "-f", failed);
        assertThat(f.exitCode()).as(f.err()).isEqualTo(7);
        assertThat(f.err()).contains("failing").contains("hostops logs: exited with 7");

        String rejected = "logs-rejected-" + java.util.UUID.randomUUID();
        exec("--id", rejected, "--wait", "--", "/usr/bin/touch", tmp.resolve("never").toString());
        Captured r = Captured.run("logs", "--url", url, "--token", TOKEN, "-f", rejected);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(126);
        assertThat(r.err()).contains("hostops logs: REJECTED ALLOWLIST_MISS: ");

        String cancelled = "logs-cancelled-" + java.util.UUID.randomUUID();
        assertThat(exec("--id", cancelled, "--", bin.resolve("sleepy").toString()).exitCode()).isZero();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> stack.dispatcher().ledger()
                .command(cancelled).map(c -> c.status() == dev.hostops.contracts.CommandStatus.RUNNING).orElse(false));
        Captured cancel = Captured.run("cancel", "--url", url, "--token", TOKEN, cancelled, "--reason", "walkthrough");
        assertThat(cancel.exitCode()).as(cancel.err()).isZero();
        Captured c = Captured.run("logs", "--url", url, "--token", TOKEN, "-f", cancelled);
        assertThat(c.exitCode()).as(c.err()).isEqualTo(130);
        assertThat(c.out()).isEqualTo("waiting\n");
        assertThat(c.err()).contains("hostops logs: CANCELLED").contains("walkthrough").doesNotContain("CANCELLED CANCELLED");
    }

    /** From the docs walkthrough: "hostops exec: TIMED_OUT TIMED_OUT: ..." said the status twice. */
    @Test
    void aTimeoutIsSaidOnce() {
        Captured c = exec("--timeout", "300ms", "--wait", "--", bin.resolve("sleepy").toString());
        assertThat(c.exitCode()).as(c.err()).isEqualTo(124);
        assertThat(c.err()).contains("hostops exec: TIMED_OUT: ").doesNotContain("TIMED_OUT TIMED_OUT");
    }

    @Test
    void jsonWaitPrintsTheCommandWithItsResult() {
        Captured c = exec("--wait", "--json", "--", bin.resolve("hello").toString(), "json");
        assertThat(c.exitCode()).isZero();
        assertThat(c.out()).contains("\"status\" : \"SUCCEEDED\"").contains("hello json");
    }

    @Test
    void withoutWaitItPrintsTheIdAndReturns() {
        Captured c = exec("--", bin.resolve("hello").toString());
        assertThat(c.exitCode()).isZero();
        assertThat(c.out()).matches("(?s)\\S+\\s+(QUEUED|DELIVERED|RUNNING|SUCCEEDED)\\s*");
    }

    @Test
    void onManyNodesWaitPrintsEachNodesOutcomeAndASummary() {
        Captured c = Captured.run("exec", "--url", url, "--token", TOKEN, "--nodes", NODE + "," + NODE_2, "--wait", "--",
                bin.resolve("hello").toString(), "fleet");
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).contains(NODE + "  SUCCEEDED\n").contains(NODE_2 + "  SUCCEEDED\n")
                .containsPattern("\\S+  DONE  2 SUCCEEDED\n$");
    }

    @Test
    void onManyNodesTheErrorBudgetStopsTheRestAndTheExitCodeIsOne() {
        Captured c = Captured.run("exec", "--url", url, "--token", TOKEN, "--nodes", NODE + "," + NODE_2,
                "--max-concurrency", "1", "--max-errors", "0", "--wait", "--", bin.resolve("fail").toString());
        assertThat(c.exitCode()).as(c.err()).isEqualTo(1);
        assertThat(c.out()).contains(NODE + "  FAILED  exit 7\n").contains(NODE_2 + "  NOT_STARTED\n")
                .containsPattern("STOPPED  1 FAILED, 1 NOT_STARTED\n$");
    }

    @Test
    void aRequestToManyNodesIsShownAgainByItsIdAndItsCommandsListed() {
        String requestId = "cli-request-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Captured run = Captured.run("exec", "--url", url, "--token", TOKEN, "--nodes", NODE + "," + NODE_2, "--id", requestId,
                "--wait", "--", bin.resolve("hello").toString(), "again");
        assertThat(run.exitCode()).as(run.err()).isZero();

        Captured shown = Captured.run("commands", "--url", url, "--token", TOKEN, requestId);
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).startsWith("request " + requestId + "  DONE  2 SUCCEEDED\n")
                .contains(requestId + "." + NODE + "\n").contains(requestId + "." + NODE_2 + "\n");

        Captured listed = Captured.run("commands", "--url", url, "--token", TOKEN, "--request", requestId);
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out().lines().filter(l -> l.startsWith(requestId + ".") && l.contains("SUCCEEDED"))).hasSize(2);
    }

    @Test
    void aSelectorRunsOnEveryMatchingNode() {
        Captured c = Captured.run("exec", "--url", url, "--token", TOKEN, "--os", "linux", "--online", "--json", "--wait", "--",
                bin.resolve("hello").toString(), "selected");
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).contains("\"total\" : 2").contains("hello selected").contains(NODE_2);
    }

    @Test
    void manyNodesWithAnUnknownOneOrTwoWaysToSayWhereAreClearErrors() {
        Captured unknown = Captured.run("exec", "--url", url, "--token", TOKEN, "--nodes", NODE + ",no-such-node", "--", "true");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown node 'no-such-node'").contains(NODE_2);

        Captured both = Captured.run("exec", "--url", url, "--token", TOKEN, "--node", NODE, "--nodes", NODE_2, "--", "true");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("only one of these");

        Captured limitOnOne = Captured.run("exec", "--url", url, "--token", TOKEN, "--node", NODE, "--max-errors", "1", "--", "true");
        assertThat(limitOnOne.exitCode()).isEqualTo(2);
        assertThat(limitOnOne.err()).contains("for many nodes");
    }

    @Test
    void anUnknownNodeIsAClearErrorNotAWait() {
        Captured c = Captured.run("exec", "--url", url, "--token", TOKEN, "--node", "no-such-node", "--wait", "--", "true");
        assertThat(c.exitCode()).isEqualTo(2);
        assertThat(c.err()).contains("unknown node 'no-such-node'").contains(NODE);
    }

    /**
     * From the API audit: {@code --timeout 0} was reported as "timeoutMs must be a positive whole
     * number", a field the user never typed (and a huge one as "long overflow"). Nothing is sent.
     */
    @Test
    void aBadTimeoutIsReportedAsTheOptionTyped() {
        for (String bad : java.util.List.of("0", "0s", "PT0.0001S", "999999999999d", "soon")) {
            Captured c = exec("--timeout", bad, "--", bin.resolve("hello").toString());
            assertThat(c.exitCode()).as(bad).isEqualTo(2);
            assertThat(c.err()).as(bad).contains("--timeout").contains("'" + bad + "'").doesNotContain("timeoutMs");
            assertThat(c.out()).as(bad).isEmpty();
        }
    }

    /**
     * From the API audit: {@code --node 'bad id'} was reported as an unknown node; it cannot be a
     * node id at all, and the message says so and why (the contract's rule).
     */
    @Test
    void aNodeIdTheContractRefusesIsInvalidNotUnknown() {
        for (String[] target : java.util.List.of(new String[] {"--node", "bad id"}, new String[] {"--node", "bad id", "--any-node"},
                new String[] {"--nodes", NODE + ",bad id"})) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("exec", "--url", url, "--token", TOKEN),
                    java.util.stream.Stream.concat(java.util.Arrays.stream(target), java.util.stream.Stream.of("--", "true")))
                    .toArray(String[]::new);
            Captured c = Captured.run(args);
            String shown = String.join(" ", target);
            assertThat(c.exitCode()).as(shown).isEqualTo(2);
            assertThat(c.err()).as(shown).contains("invalid node id").contains(target[0]).contains("'bad id'")
                    .contains(dev.hostops.contracts.NodeId.PATTERN.pattern()).doesNotContain("unknown node");
        }
    }

    @Test
    void anExpiryIsSentAsTypedAndTheCommandRuns() {
        Captured c = exec("--expires", "90s", "--wait", "--", bin.resolve("hello").toString(), "soon");
        assertThat(c.exitCode()).as(c.err()).isZero();
        assertThat(c.out()).isEqualTo("hello soon\n");
    }

    @Test
    void aBadExpiryIsReportedAsTheOptionTyped() {
        for (String bad : java.util.List.of("0", "367d", "999999999999999d", "soon")) {
            Captured c = exec("--expires", bad, "--", bin.resolve("hello").toString());
            assertThat(c.exitCode()).as(bad).isEqualTo(2);
            assertThat(c.err()).as(bad).contains("--expires").contains("'" + bad + "'").doesNotContain("expiresAt").doesNotContain("Instant");
        }
    }

    @Test
    void otherCommandsSayANodeIdIsInvalidToo() {
        Captured nodes = Captured.run("nodes", "--url", url, "--token", TOKEN, "bad id");
        assertThat(nodes.exitCode()).isEqualTo(2);
        assertThat(nodes.err()).contains("invalid node id").contains("'bad id'").doesNotContain("seen");
        Captured commands = Captured.run("commands", "--url", url, "--token", TOKEN, "--node", "bad id");
        assertThat(commands.exitCode()).isEqualTo(2);
        assertThat(commands.err()).contains("invalid node id").contains("--node must match");
    }

    /**
     * From the docs walkthrough: a token with submit alone got "token 'coder' does not have the read
     * role" and no word on why exec reads. It says first that exec needs both, and sends nothing.
     */
    @Test
    void aTokenWithoutReadIsToldThatExecNeedsSubmitAndRead() {
        Captured c = Captured.run("exec", "--url", url, "--token", SUBMIT_ONLY, "--node", NODE, "--wait", "--",
                bin.resolve("hello").toString(), "coder");
        assertThat(c.exitCode()).isEqualTo(2);
        assertThat(c.err()).startsWith("hostops exec: exec needs a token with both the submit and the read role")
                .contains("token 'coder' does not have the read role");
        assertThat(c.out()).isEmpty();
        assertThat(stack.dispatcher().ledger().commands(new dev.hostops.dispatcher.ledger.CommandQuery(NODE, null, null, 1000)).stream()
                .anyMatch(v -> "api:coder".equals(v.source())))
                .as("nothing was sent").isFalse();
    }

    @Test
    void aMissingTokenAndAWrongUrlSayWhatToDo() {
        Captured noToken = Captured.run("nodes", "--url", url);
        assertThat(noToken.exitCode()).isEqualTo(2);
        assertThat(noToken.err()).contains("HOSTOPS_TOKEN");

        // From the docs walkthrough: a URL ending in the API's /v1 asked for /v1/v1/nodes.
        for (String withV1 : java.util.List.of(url + "/v1", url + "/v1/")) {
            Captured v1 = Captured.run("nodes", "--url", withV1, "--token", TOKEN);
            assertThat(v1.exitCode()).as(withV1 + ": " + v1.err()).isZero();
            assertThat(v1.out()).contains(NODE);
        }

        Captured wrongUrl = Captured.run("nodes", "--url", "http://127.0.0.1:1", "--token", TOKEN);
        assertThat(wrongUrl.exitCode()).isEqualTo(2);
        assertThat(wrongUrl.err()).contains("cannot reach the dispatcher").contains("HOSTOPS_URL");
    }

    @Test
    void nodesAndCommandsListWhatTheDispatcherKnows() {
        exec("--wait", "--", bin.resolve("hello").toString(), "listed");
        Captured nodes = Captured.run("nodes", "--url", url, "--token", TOKEN);
        assertThat(nodes.exitCode()).isZero();
        assertThat(nodes.out()).contains("NODE").contains(NODE).contains("online").contains("POLICY")
                .containsPattern(NODE + " .* [0-9a-f]{12} ");
        Captured commands = Captured.run("commands", "--url", url, "--token", TOKEN, "--node", NODE);
        assertThat(commands.exitCode()).isZero();
        assertThat(commands.out()).contains("SUCCEEDED").contains("hello listed");
    }
}
