package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.Durations;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hostops exec}: run one command on one node through the dispatcher. */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run a command on a node. argv is passed as is: no shell runs anywhere.",
                "With --wait the output streams live and hostops exits with the remote exit code;",
                "otherwise it prints the command id and returns at once."},
        footer = {"", "Exit codes with --wait: the remote exit code, or 124 timed out, 125 expired, 126 rejected,",
                "127 lost, 130 cancelled, 2 for a client-side error.",
                "", "Examples:",
                "  hostops exec --node HostOps-Win --wait -- git fetch --all --prune",
                "  hostops exec --node HostOps-Win --workdir C:\\OpenClaw --timeout 30m --wait -- docker compose up -d --build",
                "  hostops exec --node web-1 --json --wait -- /usr/bin/systemctl is-active nginx"})
public final class ExecCommand implements Callable<Integer> {
    /** Below the dispatcher's default maximum wait (1 h). */
    static final int WAIT_SECONDS = 300;

    @Mixin
    ClientOptions client;

    @Option(names = "--node", required = true, paramLabel = "NODE", description = "The node to run on.")
    String node;

    @Option(names = "--wait", description = "Wait for the result, streaming output live.")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Execution limit on the node, e.g. 30s, 10m.")
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

    @Parameters(arity = "1..*", paramLabel = "ARGV", description = "The program and its arguments, after --.")
    List<String> argv;

    @Override
    public Integer call() throws Exception {
        ApiClient api = client.client();
        ObjectNode body = ApiClient.JSON.createObjectNode();
        if (id != null) {
            body.put("id", id);
        }
        body.put("node", node);
        body.set("argv", ApiClient.JSON.valueToTree(argv));
        if (workdir != null) {
            body.put("workdir", workdir);
        }
        if (env != null) {
            body.set("env", ApiClient.JSON.valueToTree(env));
        }
        if (timeout != null) {
            body.put("timeoutMs", Durations.parse(timeout, "--timeout").toMillis());
        }
        if (expires != null) {
            body.put("expiresAt", Instant.now().plus(Durations.parse(expires, "--expires")).toString());
        }
        try {
            if (!anyNode) {
                requireKnownNode(api);
            }
            if (!wait) {
                JsonNode c = api.post("/v1/commands", body);
                print(c);
                return 0;
            }
            if (client.json) {
                // Re-sending the same id is idempotent: each call waits up to WAIT_SECONDS more.
                JsonNode c = api.post("/v1/commands?wait=" + WAIT_SECONDS, body);
                while (!terminal(c)) {
                    c = api.post("/v1/commands?wait=" + WAIT_SECONDS, body.put("id", c.path("id").asText()));
                }
                System.out.println(c.toPrettyString());
                return ExitCodes.of(c.path("status").asText(), c.path("exitCode").asInt(0));
            }
            JsonNode accepted = api.post("/v1/commands", body);
            String commandId = accepted.path("id").asText();
            JsonNode[] last = {accepted};
            api.stream("/v1/commands/" + commandId + "/logs?follow=true", (event, data) -> {
                if (event.equals("log")) {
                    LogsCommand.write(data);
                    return true;
                }
                if (event.equals("result")) {
                    last[0] = data;
                    return false;
                }
                return true;
            });
            JsonNode c = terminal(last[0]) ? last[0] : api.get("/v1/commands/" + commandId);
            System.out.flush();
            return report(c);
        } catch (ApiException e) {
            System.err.println("hostops exec: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        }
    }

    /** A typo in a node name should fail now, not wait for the delivery deadline. */
    private void requireKnownNode(ApiClient api) throws ApiException {
        try {
            api.get("/v1/nodes/" + CommandsCommand.enc(node));
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            java.util.List<String> known = new java.util.ArrayList<>();
            for (JsonNode n : Json.items(api.get("/v1/nodes"), "nodes")) {
                known.add(n.path("node").asText(n.path("id").asText()));
            }
            throw new ApiException("UNKNOWN_NODE", "unknown node '" + node + "'; the dispatcher knows "
                    + (known.isEmpty() ? "no nodes yet" : String.join(", ", known))
                    + ". Use --any-node to send it anyway (it waits for that node until it expires).");
        }
    }

    private static boolean terminal(JsonNode c) {
        try {
            return CommandStatus.valueOf(c.path("status").asText()).isTerminal();
        } catch (IllegalArgumentException notAStatus) {
            return false;
        }
    }

    private void print(JsonNode c) {
        if (client.json) {
            System.out.println(c.toPrettyString());
        } else {
            System.out.println(c.path("id").asText() + "  " + c.path("status").asText());
        }
    }

    private static int report(JsonNode c) {
        String status = c.path("status").asText();
        int code = ExitCodes.of(status, c.path("exitCode").asInt(0));
        if (!status.equals("SUCCEEDED") && !status.equals("FAILED")) {
            JsonNode error = c.path("error");
            System.err.println("hostops exec: " + status
                    + (error.isObject() ? " " + error.path("code").asText() + ": " + error.path("message").asText() : ""));
        } else if (status.equals("FAILED")) {
            System.err.println("hostops exec: exited with " + c.path("exitCode").asInt());
        }
        return code;
    }
}
