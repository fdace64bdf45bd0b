package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * {@code hostops exec} to many nodes: one fan-out request (docs/API.md, "Many nodes"). With
 * {@code wait} it prints each node's outcome as it ends, reading the request without details
 * (node, command id, status) once a second, and the exit code or error of each one that did not
 * succeed (of the first {@value #MAX_EXPLAINED}: each is a request); then a summary line. Exits 0 when every invocation SUCCEEDED, 1 otherwise.
 */
final class FanOutExec {
    /** Between two looks at a running request: short enough to show progress, light for thousands of nodes. */
    static final long POLL_MS = 1_000;
    /** Nodes whose failure is explained by reading their command; after that, their status only (one request each). */
    static final int MAX_EXPLAINED = 100;
    static final int ALL_SUCCEEDED = 0;
    static final int NOT_ALL_SUCCEEDED = 1;

    private final ApiClient api;
    private final PrintStream out;
    private int explained;

    FanOutExec(ApiClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    /** @param body the exec with {@code nodes} or {@code selector}, and the limits */
    int run(ObjectNode body, boolean wait, boolean json) throws ApiException, InterruptedException {
        JsonNode view = api.post("/v1/commands?details=false", body);
        String requestId = view.path("requestId").asText();
        if (!wait) {
            if (json) {
                out.println(view.toPrettyString());
            } else {
                out.println(requestId + "  " + view.path("state").asText() + "  " + counts(view));
            }
            return 0;
        }
        String path = "/v1/requests/" + CommandsCommand.enc(requestId);
        Set<String> shown = new HashSet<>();
        Set<String> asking = new HashSet<>();
        while (true) {
            if (!json) {
                showEnded(view, shown);
            }
            showAsking(view, asking);
            if (!"RUNNING".equals(view.path("state").asText())) {
                break;
            }
            Thread.sleep(POLL_MS);
            view = api.get(path + "?details=false");
        }
        if (json) {
            view = api.get(path);
            out.println(view.toPrettyString());
        } else {
            out.println(requestId + "  " + view.path("state").asText() + "  " + counts(view));
        }
        int total = view.path("total").asInt();
        return view.path("counts").path("SUCCEEDED").asInt() == total ? ALL_SUCCEEDED : NOT_ALL_SUCCEEDED;
    }

    /** One line per invocation that ended since the last look; why, for those that did not succeed. */
    private void showEnded(JsonNode view, Set<String> shown) throws ApiException {
        for (JsonNode i : view.path("invocations")) {
            String node = i.path("node").asText();
            String status = i.path("status").asText();
            if (!ended(status) || !shown.add(node)) {
                continue;
            }
            String line = node + "  " + status;
            if (!status.equals("SUCCEEDED") && !status.equals("NOT_STARTED") && explained++ < MAX_EXPLAINED) {
                // DISPATCH_FAILED says why itself: its command id may be another command's.
                String why = i.path("error").isObject() ? why(i)
                        : why(api.get("/v1/commands/" + CommandsCommand.enc(i.path("commandId").asText())));
                line += why.isEmpty() ? "" : "  " + why;
            }
            out.println(line);
        }
    }

    /** A node that waits for a person: say so once, on stderr, with the command that answers it. */
    private static void showAsking(JsonNode view, Set<String> asking) {
        for (JsonNode i : view.path("invocations")) {
            if ("AWAITING_APPROVAL".equals(i.path("status").asText()) && asking.add(i.path("node").asText())) {
                String id = i.path("commandId").asText();
                System.err.println("hostops exec: " + i.path("node").asText() + " waits for a person to approve " + id
                        + ": " + ApproveCommand.answerLine(id));
            }
        }
    }

    private static boolean ended(String status) {
        return switch (status) {
            case "PENDING", "QUEUED", "DELIVERED", "AWAITING_APPROVAL", "RUNNING" -> false;
            default -> true;
        };
    }

    private static String why(JsonNode command) {
        JsonNode error = command.path("error");
        if (error.isObject()) {
            return error.path("code").asText() + ": " + error.path("message").asText();
        }
        return command.path("exitCode").isNumber() ? "exit " + command.path("exitCode").asInt() : "";
    }

    /** {@code 4 SUCCEEDED, 1 EXPIRED}. */
    static String counts(JsonNode view) {
        StringBuilder s = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = view.path("counts").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            s.append(s.length() == 0 ? "" : ", ").append(e.getValue().asInt()).append(' ').append(e.getKey());
        }
        return s.toString();
    }
}
