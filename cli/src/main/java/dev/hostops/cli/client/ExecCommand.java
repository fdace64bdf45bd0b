package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hostops.contracts.ContractViolation;
import dev.hostops.contracts.Durations;
import dev.hostops.contracts.NodeId;
import dev.hostops.dispatcher.command.SubmitLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hostops exec}: run one command on one node, or on many ({@link FanOutExec}), through the dispatcher. */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run a command on a node, or on many. argv is passed as is: no shell runs anywhere.",
                "With --wait the output streams live and hostops exits with the remote exit code;",
                "otherwise it prints the command id and returns at once.",
                "On many nodes (--nodes, or --label, --os, --online), --wait prints",
                "each node's outcome as it ends, then a summary."},
        footer = {"", "Exit codes with --wait (which waits as long as the command takes): the remote",
                "exit code, or 124 timed out, 125 expired, 126 rejected, 127 lost, 130 cancelled,",
                "2 for a client-side error, 75 when following it broke off (the dispatcher stayed",
                "unreachable; the command goes on: hostops logs -f ID). Ctrl-C exits 130 too, as",
                "any program stopped by Ctrl-C does, but the command goes on: stderr says so,",
                "and hostops commands ID shows its status.",
                "On many nodes: 0 when every node succeeded, 1 otherwise, 2 for a client-side error.",
                "", "Examples:",
                "  hostops exec --node HostOps-Win --wait -- git fetch --all --prune",
                "  hostops exec --node HostOps-Win --workdir C:\\OpenClaw --timeout 30m --wait -- docker compose up -d --build",
                "  hostops exec --node web-1 --json --wait -- /usr/bin/systemctl is-active nginx",
                "  hostops exec --node HostOps-Win --ask always --wait --command \"git log --oneline -5\"",
                "  hostops exec --nodes web-1,web-2,web-3 --max-concurrency 1 --max-errors 0 --wait -- git pull --ff-only",
                "  hostops exec --label site=home --online --max-concurrency 25%% --wait -- docker compose pull"})
public final class ExecCommand implements Callable<Integer> {
    /** Below the dispatcher's default maximum wait (1 h). */
    static final int WAIT_SECONDS = 300;
    /** The longest timeoutMs the dispatcher takes (see {@link #timeoutMillis}). */
    private static final Duration MAX_TIMEOUT = Duration.ofMillis(SubmitLimits.MAX_TIMEOUT_MS);
    private static final Duration MAX_EXPIRY = SubmitLimits.MAX_EXPIRY;

    @Mixin
    ClientOptions client;

    @Option(names = "--node", paramLabel = "NODE", description = "The node to run on.")
    String node;

    @Option(names = "--nodes", split = ",", paramLabel = "NODE", description = "Run on each of these nodes (comma-separated or repeated): one request, with --max-concurrency and --max-errors.")
    List<String> nodes;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Run on every node the dispatcher knows with this label (repeatable: all must match).")
    Map<String, String> labels;

    @Option(names = "--os", paramLabel = "OS", description = "Run on every node the dispatcher knows with this OS (linux, windows, macos), with --label if given.")
    String os;

    @Option(names = "--online", description = "With --label or --os: only nodes online now.")
    boolean online;

    @Option(names = "--max-concurrency", paramLabel = "N|P%", description = "On many nodes: at most this many running at once (default: the dispatcher's, 50).")
    String maxConcurrency;

    @Option(names = "--max-errors", paramLabel = "N|P%", description = "On many nodes: once more than this many failed, start no more (default: the dispatcher's, 0).")
    String maxErrors;

    @Option(names = "--wait", description = "Wait for the result, streaming output live.")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Execution limit on the node, e.g. 30s, 10m (at least 1ms).")
    String timeout;

    @Option(names = "--expires", paramLabel = "DURATION", description = "Delivery deadline: not started by then, it never runs (default: the dispatcher's).")
    String expires;

    @Option(names = "--workdir", paramLabel = "DIR", description = "Working directory on the node.")
    String workdir;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Environment for the program (repeatable; PATH, LD_* and the like are refused by the node).")
    Map<String, String> env;

    @Option(names = "--id", paramLabel = "ID", description = "Command id (the dedupe key); default: a new one. Retrying with the same id never runs twice.")
    String id;

    @Option(names = "--any-node", description = "Send even to a node the dispatcher has never seen (it waits for it until --expires).")
    boolean anyNode;

    @Option(names = "--security", paramLabel = "MODE", description = "Ask the node to be stricter than its policy: deny or allowlist (never looser).")
    String security;

    @Option(names = "--ask", paramLabel = "MODE", description = "Ask the node to ask a person more often than its policy: on-miss or always (never less).")
    String ask;

    @Option(names = "--command", paramLabel = "STRING", description = "The command as one string instead of ARGV: split into words by the dispatcher, refused if it has shell syntax.")
    String command;

    @Parameters(arity = "0..*", paramLabel = "ARGV", description = "The program and its arguments, after --.")
    List<String> argv;

    @Override
    public Integer call() throws Exception {
        boolean selector = labels != null || os != null;
        int targets = (node != null ? 1 : 0) + (nodes != null ? 1 : 0) + (selector ? 1 : 0);
        if (targets != 1) {
            System.err.println("hostops exec: say where to run it: --node NODE, or --nodes A,B,..., or --label KEY=VALUE / --os OS"
                    + (targets > 1 ? " (only one of these)" : ""));
            return ExitCodes.CLIENT_ERROR;
        }
        if (node != null && (maxConcurrency != null || maxErrors != null || online)) {
            System.err.println("hostops exec: --max-concurrency, --max-errors and --online are for many nodes (--nodes, --label, --os)");
            return ExitCodes.CLIENT_ERROR;
        }
        boolean hasArgv = argv != null && !argv.isEmpty();
        if (hasArgv == (command != null)) {
            System.err.println("hostops exec: say what to run: the program and its arguments after --, or --command STRING"
                    + (hasArgv ? " (not both)" : ""));
            return ExitCodes.CLIENT_ERROR;
        }
        // Checked here, before anything is sent, so an error names the option typed: the dispatcher's 400
        // names its field (timeoutMs), and a node id it could never have seen came back as an unknown node.
        Long timeoutMs;
        Duration expiresIn;
        try {
            for (String target : node != null ? List.of(node) : nodes != null ? nodes : List.<String>of()) {
                NodeId.require(target, node != null ? "--node" : "--nodes");
            }
            timeoutMs = timeout == null ? null : timeoutMillis(timeout);
            expiresIn = expires == null ? null : expiry(expires);
        } catch (ContractViolation e) {
            System.err.println("hostops exec: invalid node id: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        } catch (IllegalArgumentException e) {
            System.err.println("hostops exec: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        }
        ApiClient api = client.client();
        ObjectNode body = ApiClient.JSON.createObjectNode();
        if (id != null) {
            body.put("id", id);
        }
        if (node != null) {
            body.put("node", node);
        } else if (nodes != null) {
            body.set("nodes", ApiClient.JSON.valueToTree(nodes));
        } else {
            ObjectNode s = body.putObject("selector");
            if (labels != null) {
                s.set("labels", ApiClient.JSON.valueToTree(labels));
            }
            if (os != null) {
                s.put("os", os);
            }
            if (online) {
                s.put("online", true);
            }
        }
        limit(body, "maxConcurrency", maxConcurrency);
        limit(body, "maxErrors", maxErrors);
        if (hasArgv) {
            body.set("argv", ApiClient.JSON.valueToTree(argv));
        } else {
            body.put("command", command);
        }
        if (security != null) {
            body.put("security", security);
        }
        if (ask != null) {
            body.put("ask", ask);
        }
        if (workdir != null) {
            body.put("workdir", workdir);
        }
        if (env != null) {
            body.set("env", ApiClient.JSON.valueToTree(env));
        }
        if (timeoutMs != null) {
            body.put("timeoutMs", timeoutMs);
        }
        if (expiresIn != null) {
            // Relative, as typed: the dispatcher counts it from when it records the command, so sending
            // the same command again (same --id) is the same command.
            body.put("expiresIn", Durations.format(expiresIn));
        }
        try {
            if (node == null) {
                if (nodes != null && !anyNode) {
                    noteOffline(requireKnownNodes(api, nodes));
                }
                return new FanOutExec(api, System.out).run(body, wait, client.json);
            }
            if (!anyNode) {
                noteIfOffline(requireKnownNode(api, node));
            }
            if (!wait) {
                JsonNode c = api.post("/v1/commands", body);
                print(c);
                return 0;
            }
            if (client.json) {
                // Re-sending the same id is idempotent: each call waits up to WAIT_SECONDS more, also
                // while a person decides on an approval (approval=wait).
                String waitPath = "/v1/commands?approval=wait&wait=" + WAIT_SECONDS;
                JsonNode c = api.post(waitPath, body);
                while (!CommandFollower.terminal(c)) {
                    c = api.post(waitPath, body.put("id", c.path("id").asText()));
                }
                System.out.println(c.toPrettyString());
                return ExitCodes.of(c.path("status").asText(), c.path("exitCode").asInt(0));
            }
            JsonNode accepted = api.post("/v1/commands", body);
            String commandId = accepted.path("id").asText();
            System.err.println("hostops exec: " + commandId + " on " + node + " (Ctrl-C stops waiting, not the command)");
            Thread hint = stopWaitingHint(commandId);
            Runtime.getRuntime().addShutdownHook(hint);
            JsonNode c;
            try {
                c = new CommandFollower(api, System.err, "hostops exec", commandId).follow();
            } catch (ApiException e) {
                // Accepted, so it goes on whatever happens to this client: the outcome is unknown here, not an error.
                System.err.println("hostops exec: could not follow " + commandId + " to its end (" + withRoleHint(e)
                        + "); it goes on. Follow it: hostops logs -f " + commandId);
                return ExitCodes.NOT_FINISHED;
            } finally {
                removeQuietly(hint);
            }
            System.out.flush();
            return CommandFollower.outcome(c, System.err, "hostops exec");
        } catch (ApiException e) {
            System.err.println("hostops exec: " + withRoleHint(e));
            return ExitCodes.CLIENT_ERROR;
        }
    }

    /**
     * The dispatcher's 403 for a role the token lacks, with what exec needs said first: it reads the
     * node (and follows the command) as well as submitting it, so a token with submit alone fails
     * on the read before anything is sent.
     */
    static String withRoleHint(ApiException e) {
        if (e.status() == 403 && e.getMessage().matches("(?s).*does not have the \\S+ role.*")) {
            return "exec needs a token with both the submit and the read role (or admin): " + e.getMessage();
        }
        return e.getMessage();
    }

    /**
     * {@code --timeout} as the API's {@code timeoutMs}: at least a millisecond, and at most what the
     * dispatcher takes ({@link SubmitLimits#MAX_TIMEOUT_MS}).
     */
    private static long timeoutMillis(String text) {
        Duration d = Durations.parse(text, "--timeout");
        if (d.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("--timeout '" + text + "' is too large");
        }
        if (d.toMillis() < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1ms, not '" + text + "'");
        }
        return d.toMillis();
    }

    /** {@code --expires}: at least a millisecond and at most the dispatcher's bound on a delivery deadline. */
    private static Duration expiry(String text) {
        Duration d = Durations.parse(text, "--expires");
        if (d.toMillis() < 1) {
            throw new IllegalArgumentException("--expires must be at least 1ms, not '" + text + "'");
        }
        if (d.compareTo(MAX_EXPIRY) > 0) {
            throw new IllegalArgumentException("--expires must be at most " + MAX_EXPIRY.toDays() + "d, not '" + text + "'");
        }
        return d;
    }

    /** Ctrl-C while waiting: the command goes on; say how to find it again or stop it. */
    private static Thread stopWaitingHint(String commandId) {
        return new Thread(() -> System.err.println("\nhostops exec: stopped waiting; " + commandId + " goes on. Follow it: hostops logs -f "
                + commandId + "; stop it: hostops cancel " + commandId), "hostops-exec-interrupted");
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting (Ctrl-C): the hint runs, as it should
        }
    }

    /** A known node that is offline gets the command when it is back, or never: say which. */
    private void noteIfOffline(JsonNode n) {
        noteOffline(List.of(n));
    }

    private void noteOffline(List<JsonNode> targets) {
        for (JsonNode n : targets) {
            if (!"online".equalsIgnoreCase(n.path("state").asText("online"))) {
                System.err.println("hostops exec: " + n.path("node").asText() + " is offline (since " + Json.instant(n.path("since").asText("?"))
                        + "); the command waits for it" + (expires != null ? " for " + expires : " until it expires") + ".");
            }
        }
    }

    /** A number as a number, a percentage as a string, as the API takes them. */
    private static void limit(ObjectNode body, String field, String value) {
        if (value == null) {
            return;
        }
        if (value.matches("\\d+")) {
            body.put(field, Integer.parseInt(value));
        } else {
            body.put(field, value); // "25%", or something the dispatcher refuses with a 400 naming the field
        }
    }

    /** The node's view; a typo in its name fails now, not at the delivery deadline. */
    private static JsonNode requireKnownNode(ApiClient api, String target) throws ApiException {
        try {
            return api.get("/v1/nodes/" + CommandsCommand.enc(target));
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            throw unknownNodes(api, knownNodes(api).keySet(), List.of(target));
        }
    }

    /** A typo in a node name should fail now, not wait for the delivery deadline. Returns the wanted nodes' views. */
    private static List<JsonNode> requireKnownNodes(ApiClient api, List<String> wanted) throws ApiException {
        Map<String, JsonNode> known = knownNodes(api);
        List<String> unknown = wanted.stream().filter(n -> !known.containsKey(n)).toList();
        if (!unknown.isEmpty()) {
            throw unknownNodes(api, known.keySet(), unknown);
        }
        return wanted.stream().distinct().map(known::get).toList();
    }

    private static Map<String, JsonNode> knownNodes(ApiClient api) throws ApiException {
        Map<String, JsonNode> known = new java.util.TreeMap<>();
        for (JsonNode n : Json.items(api.get("/v1/nodes"), "nodes")) {
            known.put(n.path("node").asText(n.path("id").asText()), n);
        }
        return known;
    }

    /**
     * Unknown to the dispatcher; when the dispatcher is not connected to its broker, that is the
     * likelier reason, and what to fix (a user walkthrough was told "knows no nodes yet" only).
     */
    private static ApiException unknownNodes(ApiClient api, java.util.Set<String> known, List<String> unknown) {
        String which = unknown.size() == 1 ? "unknown node '" + unknown.get(0) + "'"
                : "unknown nodes " + unknown.stream().map(n -> "'" + n + "'").collect(java.util.stream.Collectors.joining(", "));
        String notReady = notReady(api);
        if (notReady != null) {
            return new ApiException("UNKNOWN_NODE", which + ": " + notReady + ", so it hears from no node; check its --broker"
                    + " and GET /readyz. Use --any-node to send it anyway (it is kept and sent when the broker is back).");
        }
        return new ApiException("UNKNOWN_NODE", which
                + "; the dispatcher knows " + (known.isEmpty() ? "no nodes yet" : String.join(", ", known))
                + ". Use --any-node to send it anyway (it waits for that node until it expires).");
    }

    /** Why the dispatcher is not ready ({@code /readyz}), or null when it is (or cannot say). */
    private static String notReady(ApiClient api) {
        try {
            api.get("/readyz");
            return null;
        } catch (ApiException e) {
            return e.status() == 503 ? e.getMessage() : null;
        }
    }

    private void print(JsonNode c) {
        if (client.json) {
            System.out.println(c.toPrettyString());
        } else {
            System.out.println(c.path("id").asText() + "  " + c.path("status").asText());
        }
    }
}
