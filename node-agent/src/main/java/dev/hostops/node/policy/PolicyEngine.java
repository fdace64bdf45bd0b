package dev.hostops.node.policy;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.contracts.message.PolicyDecision;
import dev.hostops.node.policy.internal.ApprovedFile;
import dev.hostops.node.policy.internal.ArgPattern;
import dev.hostops.node.policy.internal.PathGlob;
import dev.hostops.node.policy.internal.Refusal;
import dev.hostops.node.policy.internal.RequestChecks;
import dev.hostops.node.policy.internal.Resolver;
import dev.hostops.node.policy.internal.RuleSet;
import dev.hostops.node.policy.internal.ShellWrappers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Judges commands against a {@link Policy} on one host. Thread-safe: evaluation reads an immutable rule set, and
 * {@link #approveAlways} swaps in a new one.
 *
 * <p>The order of the checks (docs/POLICY.md, "How a command is judged"):
 * <ol>
 *   <li>Input: an empty argv is EMPTY_ARGV; a NUL character anywhere, an invalid environment name, and on Windows
 *       a tricky path spelling in argv[0] or the workdir (UNC, {@code \\?\}, 8.3 short name, trailing dot or space,
 *       {@code :} after the drive) are INVALID_FIELD.</li>
 *   <li>Environment: a forbidden variable is FORBIDDEN_ENV.</li>
 *   <li>Modes: the node's security and ask, made stricter (never looser) by the command's own. Security deny is
 *       SECURITY_DENY.</li>
 *   <li>Workdir: must exist (WORKDIR_NOT_FOUND); its real path is used from here on.</li>
 *   <li>Program: resolved with the host's PATH (and PATHEXT) to its real path (EXECUTABLE_NOT_FOUND).</li>
 *   <li>Deny rules, in every mode that runs anything (allowlist and full), before anything else can allow:
 *       DENIED_BY_RULE. No approval overrides them.</li>
 *   <li>Full: ALLOW, or ASK when ask is always.</li>
 *   <li>Allowlist: an allow or approved entry matches when its path, arguments, workdir roots and env names (every
 *       variable the command sets must be listed) all match. A match allows; ask always asks anyway; a shell
 *       wrapper matched by an allow entry asks (DENY SHELL_WRAPPER when the node's ask is off). A miss asks when the
 *       node's own ask is on-miss or always, else is ALLOWLIST_MISS (WORKDIR_NOT_ALLOWED when an entry matched all
 *       but its workdir roots). The command's ask never makes a miss or a wrapper askable.</li>
 * </ol>
 */
public final class PolicyEngine {
    private final Policy policy;
    private final HostModel host;
    private final Resolver resolver;
    private final Clock clock;
    private final Object approveLock = new Object();
    private volatile List<AllowRule> approved;
    private volatile RuleSet rules;

    public PolicyEngine(Policy policy, HostModel host) {
        this(policy, host, Clock.systemUTC());
    }

    /** With a clock for the {@code approvedAt} stamps of the approved file. */
    public PolicyEngine(Policy policy, HostModel host, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy must not be null");
        this.host = Objects.requireNonNull(host, "host must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.resolver = new Resolver(host);
        this.approved = policy.approved();
        this.rules = new RuleSet(policy.allow(), policy.deny(), approved, host);
    }

    public Policy policy() {
        return policy;
    }

    /** The approved entries in force now (loaded at start, plus the ones approved since). */
    public List<AllowRule> approved() {
        return approved;
    }

    /** Judges one command. Never throws for a bad command: every problem is a DENY with a code and a sentence. */
    public Evaluation evaluate(CommandRequest request) {
        String exe = null;
        String wd = null;
        try {
            RequestChecks.input(request.argv(), request.workdir(), host);
            RequestChecks.env(request.env(), host);
            SecurityMode security = policy.security().stricter(request.security());
            AskMode ask = policy.ask().stricter(request.ask());
            if (security == SecurityMode.DENY) {
                throw new Refusal(ErrorCode.SECURITY_DENY, request.security() == SecurityMode.DENY
                        && policy.security() != SecurityMode.DENY
                        ? "The command itself asked for security: deny, so it does not run."
                        : ErrorCode.SECURITY_DENY.defaultMessage(), "security: deny");
            }
            Path workdir = resolver.workdir(request.workdir());
            wd = workdir == null ? null : workdir.toString();
            Path executable = resolver.executable(request.argv().get(0), workdir);
            exe = executable.toString();
            List<String> args = request.argv().subList(1, request.argv().size());
            RuleSet current = rules;
            Optional<String> denied = current.denied(executable, args);
            if (denied.isPresent()) {
                throw new Refusal(ErrorCode.DENIED_BY_RULE, "A deny rule of this node's policy forbids this command: "
                        + denied.get() + ". Deny rules apply in every mode and cannot be approved.", denied.get());
            }
            if (security == SecurityMode.FULL) {
                return ask == AskMode.ALWAYS
                        ? ask(exe, wd, "security: full", "ask: always")
                        : new Evaluation(Verdict.ALLOW, exe, wd, new PolicyDecision("full", "security: full"), null, null);
            }
            return allowlist(current, executable, args, workdir, request.env().keySet(), ask, exe, wd);
        } catch (Refusal r) {
            return deny(exe, wd, r.code(), r.getMessage(), r.rule());
        }
    }

    /**
     * The allowlist's verdict. The node's own {@code ask} decides whether a miss or a shell wrapper may be asked
     * about at all; the command's {@code ask} (in {@code ask}, made stricter) can only turn an ALLOW into an ASK.
     * So a command that brings {@code ask: on-miss} to a node with {@code ask: off} is still refused on a miss, and
     * never reaches an approver (who may be the same party that sent it) or the askFallback.
     */
    private Evaluation allowlist(RuleSet current, Path executable, List<String> args, Path workdir, Set<String> envNames,
                                 AskMode ask, String exe, String wd) throws Refusal {
        boolean nodeAsks = policy.ask() != AskMode.OFF;
        Optional<String> wrapper = ShellWrappers.detect(executable.getFileName().toString(), args, host.windows(),
                host.pathExtensions());
        RuleSet.AllowMatch match = current.allowed(executable, args, workdir, envNames);
        if (match.matched()) {
            // An approved entry is a person's decision about exactly this command, so it satisfies the wrapper rule.
            if (wrapper.isPresent() && !match.approved()) {
                if (!nodeAsks) {
                    throw new Refusal(ErrorCode.SHELL_WRAPPER, "The allowlist entry " + match.rule() + " matches, but "
                            + wrapper.get() + "; a shell wrapper needs an approval (ask) or security: full on this node.",
                            match.rule());
                }
                return ask(exe, wd, match.rule(), "shell wrapper: " + wrapper.get());
            }
            if (ask == AskMode.ALWAYS) {
                return ask(exe, wd, match.rule(), "ask: always", true);
            }
            return new Evaluation(Verdict.ALLOW, exe, wd, new PolicyDecision("allow", match.rule()), null, null);
        }
        if (nodeAsks) {
            return ask(exe, wd, "allowlist miss", "allowlist miss: " + missDetail(match, exe, wd)
                    + (wrapper.isPresent() ? " (and it is a shell wrapper: " + wrapper.get() + ")" : ""));
        }
        if (match.workdirMissRule() != null) {
            throw new Refusal(ErrorCode.WORKDIR_NOT_ALLOWED, wd == null
                    ? "The command gives no working directory, and " + match.workdirMissRule() + " allows it only inside its roots."
                    : "The working directory " + wd + " is outside the roots that " + match.workdirMissRule() + " allows.",
                    match.workdirMissRule());
        }
        if (match.envMiss() != null) {
            throw new Refusal(ErrorCode.ALLOWLIST_MISS, "The command sets the environment variable " + match.envMiss().name()
                    + ", which " + match.envMiss().rule() + " does not let it set (that entry's env list), and ask is off.",
                    "allowlist miss");
        }
        throw new Refusal(ErrorCode.ALLOWLIST_MISS, "The program " + exe + " with these arguments is not on this node's "
                + "allowlist, and ask is off.", "allowlist miss");
    }

    private static String missDetail(RuleSet.AllowMatch match, String exe, String wd) {
        if (match.workdirMissRule() != null) {
            return wd == null ? "the command gives no workdir, and " + match.workdirMissRule() + " allows it only inside its workdir roots"
                    : "the workdir " + wd + " is outside the workdir roots of " + match.workdirMissRule();
        }
        if (match.envMiss() != null) {
            return "the command sets " + match.envMiss().name() + ", which " + match.envMiss().rule() + " does not let it set";
        }
        return "no allow entry matches " + exe + " with these arguments";
    }

    /** What happens when a person allowed an ASK: ALLOW, decision "ask", the deciding rule kept. */
    public Evaluation afterApproval(Evaluation asked) {
        requireAsk(asked);
        return new Evaluation(Verdict.ALLOW, asked.resolvedExecutable(), asked.resolvedWorkdir(),
                new PolicyDecision("ask", asked.decision().rule()), null, asked.askReason());
    }

    /**
     * What happens when no one answered an ASK in time: the policy's askFallback. {@code full}
     * runs it; {@code allowlist} runs it only when the allowlist alone allows it (it was asked
     * about only because of {@code ask: always}); {@code deny}, and {@code allowlist} otherwise,
     * refuse it with APPROVAL_TIMEOUT.
     */
    public Evaluation fallback(Evaluation asked) {
        requireAsk(asked);
        AskFallback fallback = policy.askFallback();
        if (fallback == AskFallback.FULL || (fallback == AskFallback.ALLOWLIST && asked.allowlisted())) {
            return new Evaluation(Verdict.ALLOW, asked.resolvedExecutable(), asked.resolvedWorkdir(),
                    new PolicyDecision("allow", "askFallback: " + fallback.wire() + " (" + asked.decision().rule() + ")"),
                    null, asked.askReason());
        }
        String why = fallback == AskFallback.DENY ? "askFallback is deny"
                : "askFallback is allowlist, and the allowlist alone does not allow it (" + asked.askReason() + ")";
        return new Evaluation(Verdict.DENY, asked.resolvedExecutable(), asked.resolvedWorkdir(),
                new PolicyDecision("deny", "askFallback: " + fallback.wire()),
                ErrorCode.APPROVAL_TIMEOUT.withMessage("No approver answered within " + policy.approvalTimeout().toSeconds()
                        + "s and " + why + "."), asked.askReason());
    }

    /**
     * Records an "allow always" decision: the exact real path of the program, a pattern that matches exactly these
     * arguments, the real workdir as the only root, and the names of the variables the command set as its env list.
     * Written to the approved file (when the policy has one) and in force at once; it still passes every other check
     * (deny rules, forbidden variables, ask: always).
     *
     * @throws IOException when the approved file cannot be read, is invalid, or cannot be written; the entry is then
     *                     not in force either
     */
    public void approveAlways(CommandRequest request, Evaluation evaluation) throws IOException {
        Objects.requireNonNull(request, "request must not be null");
        Objects.requireNonNull(evaluation, "evaluation must not be null");
        if (evaluation.verdict() == Verdict.DENY || evaluation.resolvedExecutable() == null) {
            throw new IllegalArgumentException("only an evaluation that asked (or was approved) can be approved always");
        }
        String path = host.windows() ? evaluation.resolvedExecutable().replace('\\', '/') : evaluation.resolvedExecutable();
        if (PathGlob.hasGlobCharacters(path)) {
            throw new IOException("The program path " + path + " contains * or ?, which the approved file would read as a "
                    + "glob; add an entry to the policy by hand instead.");
        }
        List<String> args = request.argv().subList(1, request.argv().size());
        String wd = evaluation.resolvedWorkdir();
        List<String> roots = wd == null ? List.of() : List.of(host.windows() ? wd.replace('\\', '/') : wd);
        // The names the command set, exactly: the entry matches this command again, not one with other variables.
        List<String> env = request.env().keySet().stream().sorted().toList();
        AllowRule rule = new AllowRule(path, List.of(ArgPattern.exact(args)), roots, env);
        synchronized (approveLock) {
            List<AllowRule> now;
            Optional<Path> file = policy.approvedFile();
            if (file.isPresent()) {
                now = ApprovedFile.append(file.get(), rule, clock.instant());
            } else {
                now = new ArrayList<>(approved);
                if (!now.contains(rule)) {
                    now.add(rule);
                }
            }
            approved = List.copyOf(now);
            rules = new RuleSet(policy.allow(), policy.deny(), approved, host);
        }
    }

    private static Evaluation ask(String exe, String wd, String rule, String reason) {
        return ask(exe, wd, rule, reason, false);
    }

    /** @param allowlisted the allowlist alone allows it: asked only because of ask: always */
    private static Evaluation ask(String exe, String wd, String rule, String reason, boolean allowlisted) {
        return new Evaluation(Verdict.ASK, exe, wd, new PolicyDecision("ask", rule), null, reason, allowlisted);
    }

    private static Evaluation deny(String exe, String wd, ErrorCode code, String message, String rule) {
        return new Evaluation(Verdict.DENY, exe, wd, new PolicyDecision("deny", rule), code.withMessage(message), null);
    }

    private static void requireAsk(Evaluation asked) {
        if (asked.verdict() != Verdict.ASK) {
            throw new IllegalArgumentException("expected an evaluation with verdict ASK, got " + asked.verdict());
        }
    }
}
