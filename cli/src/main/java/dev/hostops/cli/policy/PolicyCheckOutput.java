package dev.hostops.cli.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hostops.contracts.ErrorInfo;
import dev.hostops.node.policy.CommandRequest;
import dev.hostops.node.policy.Evaluation;
import dev.hostops.node.policy.Policy;
import dev.hostops.node.policy.PolicyLint;
import dev.hostops.node.policy.Verdict;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;

/** What {@code hostops policy check} prints: aligned lines for a person, or one JSON object with {@code --json}. */
final class PolicyCheckOutput {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final Policy policy;
    private final List<PolicyLint.Warning> warnings;
    private final boolean json;

    PolicyCheckOutput(Path file, Policy policy, List<PolicyLint.Warning> warnings, boolean json) {
        this.file = file;
        this.policy = policy;
        this.warnings = warnings;
        this.json = json;
    }

    /** The policy alone: its modes, how many entries of each kind, and the entries that cannot match here. */
    void summary() {
        if (json) {
            print(policyJson());
            return;
        }
        line("policy", file.toAbsolutePath().toString());
        line("digest", policy.digest());
        line("modes", modes());
        line("allow", count(policy.allow().size()));
        line("deny", count(policy.deny().size()));
        line("approved", count(policy.approved().size())
                + policy.approvedFile().map(f -> ", in " + f).orElse(" (no approved file: allow-always is kept until restart)"));
        line("signatures", policy.requireSignature()
                ? "required, " + policy.trustedKeys().size() + " trusted key" + (policy.trustedKeys().size() == 1 ? "" : "s")
                : "not required");
        printWarnings();
        if (warnings.isEmpty()) {
            System.out.println("ok: every entry that names one program names its real path on this host");
        }
    }

    /**
     * The decision for one command, as the node agent would make it here.
     *
     * @param unanswered for an ASK, what happens when nobody answers in time (the askFallback's evaluation)
     */
    void decision(CommandRequest request, Evaluation e, Evaluation unanswered) {
        if (json) {
            ObjectNode out = policyJson();
            ObjectNode cmd = out.putObject("command");
            request.argv().forEach(cmd.putArray("argv")::add);
            cmd.put("workdir", request.workdir());
            ObjectNode d = out.putObject("evaluation");
            d.put("verdict", e.verdict().name());
            d.put("resolvedExecutable", e.resolvedExecutable());
            d.put("resolvedWorkdir", e.resolvedWorkdir());
            d.put("decision", e.decision().decision());
            d.put("rule", e.decision().rule());
            if (e.error() != null) {
                d.putObject("error").put("code", e.error().code()).put("message", e.error().message());
            }
            d.put("askReason", e.askReason());
            if (e.verdict() == Verdict.ASK) {
                d.put("unansweredAfterSeconds", policy.approvalTimeout().toSeconds());
                d.put("unanswered", unanswered.verdict().name());
            }
            print(out);
            return;
        }
        line("policy", file.toAbsolutePath() + " (" + policy.digest() + ")");
        line("modes", modes());
        line("command", shown(request.argv()));
        if (request.workdir() != null) {
            line("workdir", request.workdir() + (e.resolvedWorkdir() == null || e.resolvedWorkdir().equals(request.workdir())
                    ? "" : " (real path " + e.resolvedWorkdir() + ")"));
        }
        switch (e.verdict()) {
            case ALLOW -> line("verdict", "ALLOW: the node agent would run it");
            case ASK -> line("verdict", "ASK: it runs only once a person approves it (hostops approvals, hostops approve ID ...)");
            case DENY -> line("verdict", "DENY: REJECTED with " + e.error().code());
        }
        ErrorInfo error = e.error();
        if (error != null) {
            line("why", error.message());
        } else if (e.askReason() != null) {
            line("why", e.askReason());
        }
        if (e.resolvedExecutable() != null) {
            line("program", e.resolvedExecutable());
        }
        line("decided by", e.decision().rule() == null ? e.decision().decision() : e.decision().rule());
        if (e.verdict() == Verdict.ASK) {
            line("unanswered", "after " + policy.approvalTimeout().toSeconds() + " s: askFallback " + askFallback()
                    + (unanswered.verdict() == Verdict.ALLOW ? ", so it runs" : ", so it is REJECTED with APPROVAL_TIMEOUT"));
        }
        if (!warnings.isEmpty()) {
            System.out.println("note: " + warnings.size() + " warning" + (warnings.size() == 1 ? "" : "s")
                    + " about entries of this policy that do nothing on this host; run the check without a command to see them");
        }
    }

    private ObjectNode policyJson() {
        ObjectNode out = MAPPER.createObjectNode();
        ObjectNode p = out.putObject("policy");
        p.put("file", file.toAbsolutePath().toString());
        p.put("digest", policy.digest());
        p.put("security", policy.security().wire());
        p.put("ask", policy.ask().wire());
        p.put("askFallback", askFallback());
        p.put("approvalTimeoutSeconds", policy.approvalTimeout().toSeconds());
        p.put("allow", policy.allow().size());
        p.put("deny", policy.deny().size());
        p.put("approved", policy.approved().size());
        p.put("approvedFile", policy.approvedFile().map(Path::toString).orElse(null));
        p.put("requireSignature", policy.requireSignature());
        ArrayNode w = out.putArray("warnings");
        warnings.forEach(x -> w.addObject().put("rule", x.rule()).put("message", x.message()));
        return out;
    }

    private String modes() {
        return "security " + policy.security().wire() + ", ask " + policy.ask().wire() + ", askFallback "
                + askFallback() + " after " + policy.approvalTimeout().toSeconds() + " s";
    }

    /** The policy's askFallback: deny, allowlist or full. */
    private String askFallback() {
        return policy.askFallback().wire();
    }

    private void printWarnings() {
        for (PolicyLint.Warning w : warnings) {
            System.out.println("warning: " + w);
        }
    }

    private static String count(int n) {
        return n + (n == 1 ? " entry" : " entries");
    }

    /** argv as one line; an argument with a space or a quote is double-quoted as the agent's splitter reads it back. */
    static String shown(List<String> argv) {
        StringJoiner j = new StringJoiner(" ");
        for (String a : argv) {
            boolean plain = a != null && !a.isEmpty() && a.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '"' || c == '\'');
            j.add(plain ? a : "\"" + String.valueOf(a).replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return j.toString();
    }

    private static void line(String label, String value) {
        System.out.printf("%-11s %s%n", label, value);
    }

    private static void print(ObjectNode node) {
        try {
            System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of strings and numbers always serializes
        }
    }
}
