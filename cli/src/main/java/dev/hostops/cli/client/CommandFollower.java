package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hostops.contracts.CommandStatus;
import java.io.PrintStream;

/**
 * Follows one command until its result: writes its output as it comes, says on stderr when it
 * waits for a person's approval, and picks the stream up again where it broke (a dispatcher
 * restart, a proxy that cut it) from the next log chunk, so nothing is printed twice or skipped.
 */
final class CommandFollower {
    /** Stream breaks in a row after which following gives up; the command goes on regardless. */
    static final int MAX_RETRIES = 6;
    private static final long MAX_BACKOFF_MS = 8_000;

    private final ApiClient api;
    private final PrintStream notes;
    private final String who;
    private final String id;
    /** {@code /v1/commands/{id}}, the command's view; its logs are under it. */
    private final String path;
    private long nextSeq;
    private boolean approvalShown;
    private JsonNode result;

    /** @param who the command that follows, as its notes start: "hostops exec", "hostops logs" */
    CommandFollower(ApiClient api, PrintStream notes, String who, String id) {
        this.api = api;
        this.notes = notes;
        this.who = who;
        this.id = id;
        this.path = "/v1/commands/" + CommandsCommand.enc(id);
    }

    /** The command once terminal; or, when the stream kept breaking, the last view that could be read. */
    JsonNode follow() throws ApiException, InterruptedException {
        Backoff backoff = new Backoff(MAX_BACKOFF_MS);
        ApiException lastBreak = null;
        for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
            if (attempt > 0) {
                backoff.pause();
            }
            try {
                api.stream(path + "/logs?follow=true&from=" + nextSeq, this::onEvent);
                if (result != null && terminal(result)) {
                    return result;
                }
                // The stream ended without the result (the dispatcher could not read its ledger, or stopped).
                JsonNode now = api.get(path);
                if (terminal(now)) {
                    return catchUpAndReturn(now);
                }
                lastBreak = null;
            } catch (ApiException e) {
                if (!"UNREACHABLE".equals(e.code())) {
                    throw e;
                }
                lastBreak = e;
            }
            if (attempt < MAX_RETRIES) {
                notes.println(who + ": the output stream broke" + (lastBreak != null ? " (" + lastBreak.getMessage() + ")" : "")
                        + "; following " + id + " again from chunk " + nextSeq + " ...");
            }
        }
        if (lastBreak != null) {
            throw lastBreak;
        }
        return api.get(path);
    }

    private boolean onEvent(String event, JsonNode data) {
        switch (event) {
            case "log" -> {
                long seq = data.path("seq").asLong(-1);
                if (seq >= nextSeq) {
                    LogsCommand.write(data);
                    nextSeq = seq + 1;
                }
                return true;
            }
            case "result" -> {
                result = data;
                return false;
            }
            case "approval" -> {
                showApproval(data.path("reason").asText(""), Json.instant(data.path("deadline").asText("")));
                return true;
            }
            case "state" -> {
                return true; // AWAITING_APPROVAL is announced by the approval event that follows it, with its reason
            }
            case "error" -> {
                notes.println(who + ": the dispatcher ended the stream: " + data.path("message").asText(data.toString()));
                return false;
            }
            default -> {
                return true; // an event kind this client does not know yet
            }
        }
    }

    private void showApproval(String reason, String deadline) {
        if (approvalShown) {
            return;
        }
        approvalShown = true;
        notes.println(who + ": waiting for a person to approve " + id + (reason.isEmpty() ? "" : " (" + reason + ")")
                + (deadline.isEmpty() ? "" : "; the node decides by itself at " + deadline) + ".");
        notes.println(who + ": answer with: " + ApproveCommand.answerLine(id));
    }

    /** A result read after the stream ended: print the chunks the stream did not deliver first. */
    private JsonNode catchUpAndReturn(JsonNode command) throws ApiException {
        JsonNode logs = api.get(path + "/logs?from=" + nextSeq);
        for (JsonNode chunk : logs.path("chunks")) {
            onEvent("log", chunk);
        }
        return command;
    }

    /**
     * Says on {@code notes} how the command ended, as {@code exec --wait} and {@code logs -f} do (nothing
     * more for a success: its output was the point), and returns exec's exit code for it ({@link ExitCodes}).
     */
    static int outcome(JsonNode c, PrintStream notes, String who) {
        String status = c.path("status").asText();
        String id = c.path("id").asText();
        if (!terminal(c)) {
            notes.println(who + ": " + id + " is still " + status + "; following it broke off before its end. Follow it again: "
                    + "hostops logs -f " + id);
        } else if (status.equals("FAILED")) {
            notes.println(who + ": exited with " + c.path("exitCode").asInt());
        } else if (!status.equals("SUCCEEDED")) {
            JsonNode error = c.path("error");
            String code = error.path("code").asText("");
            String message = error.path("message").asText("");
            // TIMED_OUT, EXPIRED, LOST and CANCELLED carry their status as their code too: say it once.
            notes.println(who + ": " + status + (code.isEmpty() || code.equals(status) ? "" : " " + code)
                    + (message.isEmpty() ? "" : ": " + message));
        }
        return ExitCodes.of(status, c.path("exitCode").asInt(0));
    }

    static boolean terminal(JsonNode c) {
        try {
            return CommandStatus.valueOf(c.path("status").asText()).isTerminal();
        } catch (IllegalArgumentException notAStatus) {
            return false;
        }
    }
}
