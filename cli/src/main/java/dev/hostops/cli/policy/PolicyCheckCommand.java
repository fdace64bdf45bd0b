package dev.hostops.cli.policy;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.CommandLine.ShellSyntaxException;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.node.NodeConfigLoader;
import dev.hostops.node.policy.CommandRequest;
import dev.hostops.node.policy.Evaluation;
import dev.hostops.node.policy.HostModel;
import dev.hostops.node.policy.Policy;
import dev.hostops.node.policy.PolicyEngine;
import dev.hostops.node.policy.Verdict;
import dev.hostops.node.policy.PolicyException;
import dev.hostops.node.policy.PolicyLint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hostops policy check}: reads a policy as the node agent does and, given a command, judges
 * it with the same engine on this host, without running anything. What an administrator needs
 * while writing an allowlist: is the file valid, does each entry name the program's real path, and
 * what would happen to {@code git fetch --all --prune} in {@code C:\OpenClaw}.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check a policy file, and what it decides for a command, on this host. Nothing runs.",
                "Without a command: the file is read as the node agent reads it and summarized, and entries that can "
                        + "never match here are listed (a program path that is a link or is missing, a workdir root "
                        + "that is not a directory). With a command (after --, or as one string with --command, as an "
                        + "OpenClaw exec tool sends it): the decision the node agent would make, the program it would "
                        + "run and the rule that decided. Programs are found with this process's PATH: run the check "
                        + "as the user, and with the PATH, that the agent has."},
        footer = {"", "Exit status: with a command, 0 allowed, 1 denied, 3 needs an approval; without one, 0 when "
                + "nothing can be improved, 1 when an entry can never match; 2 when the policy or the options are invalid.",
                "", "Examples:",
                "  hostops policy check --policy /etc/hostops/policy.yaml",
                "  hostops policy check --config /etc/hostops/node.yaml",
                "  hostops policy check --policy policy.yaml --workdir /srv/app -- git fetch --all --prune",
                "  hostops policy check --policy policy.yaml --command \"docker compose down -v\" --json",
                "  hostops.cmd policy check --policy C:\\ProgramData\\hostops\\policy.yaml --workdir C:\\OpenClaw -- git status"})
public final class PolicyCheckCommand implements Callable<Integer> {
    static final int ALLOWED = 0;
    static final int DENIED_OR_WARNINGS = 1;
    static final int INVALID = 2;
    static final int ASKS = 3;

    @Option(names = "--policy", paramLabel = "FILE", defaultValue = "${env:HOSTOPS_POLICY}",
            description = "The policy file (default: $HOSTOPS_POLICY).")
    Path policyFile;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A node agent's config file (node.yaml): check the policy it names, as the service would.")
    Path nodeConfig;

    @Option(names = "--workdir", paramLabel = "DIR", description = "The command's working directory (default: none, the agent's own).")
    String workdir;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "A variable the command sets (repeat for more).")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--security", paramLabel = "MODE", description = "The command's own security: deny, allowlist or full (it can only make the node's stricter).")
    String security;

    @Option(names = "--ask", paramLabel = "MODE", description = "The command's own ask: off, on-miss or always (it can only make the node's stricter).")
    String ask;

    @Option(names = "--command", paramLabel = "STRING", description = "The command as one string, split as the node agent splits it (no shell).")
    String command;

    @Option(names = "--json", description = "The result as JSON on stdout.")
    boolean json;

    @Parameters(paramLabel = "ARGV", arity = "0..*", description = "The command: program and arguments, after --.")
    List<String> argv = new ArrayList<>();

    @Override
    public Integer call() {
        if (nodeConfig != null) {
            try {
                // Only the policy setting matters here; the rest of the file is node install's to check.
                String named = new NodeConfigLoader().file(nodeConfig).setting("policy").orElse(null);
                if (named == null) {
                    return invalid("--config " + nodeConfig + " names no policy file (setting 'policy')");
                }
                policyFile = Path.of(named);
            } catch (IOException | IllegalArgumentException e) {
                return invalid("--config " + nodeConfig + ": " + e.getMessage());
            }
        }
        if (policyFile == null) {
            return invalid("give the policy file with --policy FILE, --config NODE.YAML or HOSTOPS_POLICY");
        }
        if (command != null && !argv.isEmpty()) {
            return invalid("give the command either after -- or with --command, not both");
        }
        Policy policy;
        try {
            policy = Policy.load(policyFile);
        } catch (PolicyException e) {
            return invalid(e.getMessage());
        }
        HostModel host = HostModel.current();
        List<PolicyLint.Warning> warnings = PolicyLint.check(policy, host);
        PolicyCheckOutput out = new PolicyCheckOutput(policyFile, policy, warnings, json);
        if (command == null && argv.isEmpty()) {
            out.summary();
            return warnings.isEmpty() ? ALLOWED : DENIED_OR_WARNINGS;
        }
        SecurityMode ownSecurity;
        AskMode ownAsk;
        List<String> program;
        try {
            ownSecurity = security == null ? null : SecurityMode.fromWire(security);
        } catch (IllegalArgumentException e) {
            return invalid("--security: " + e.getMessage());
        }
        try {
            ownAsk = ask == null ? null : AskMode.fromWire(ask);
        } catch (IllegalArgumentException e) {
            return invalid("--ask: " + e.getMessage());
        }
        try {
            program = command != null ? dev.hostops.contracts.CommandLine.split(command) : argv;
        } catch (ShellSyntaxException e) {
            return invalid("--command: " + e.getMessage() + " (the node agent would answer REJECTED, SHELL_SYNTAX)");
        }
        CommandRequest request = new CommandRequest(program, workdir, env, ownSecurity, ownAsk);
        PolicyEngine engine = new PolicyEngine(policy, host);
        Evaluation evaluation = engine.evaluate(request);
        out.decision(request, evaluation, evaluation.verdict() == Verdict.ASK ? engine.fallback(evaluation) : null);
        return switch (evaluation.verdict()) {
            case ALLOW -> ALLOWED;
            case ASK -> ASKS;
            case DENY -> DENIED_OR_WARNINGS;
        };
    }

    private static int invalid(String message) {
        System.err.println("hostops policy check: " + message);
        return INVALID;
    }
}
