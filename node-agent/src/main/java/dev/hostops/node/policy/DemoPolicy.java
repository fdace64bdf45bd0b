package dev.hostops.node.policy;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.node.policy.internal.Refusal;
import dev.hostops.node.policy.internal.Resolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The quickstart's policy. Safe by construction: programs are pinned to the real paths the host's PATH gives now
 * (so a file named git in the workdir is not git), only read-only arguments are allowed without asking, only inside
 * the demo's workdir root, and everything else asks a person (with deny as the fallback).
 */
final class DemoPolicy {
    /** The deny rules every example in docs/POLICY.md starts with. */
    static final List<DenyRule> STANDARD_DENY = List.of(
            new DenyRule("**/git*", List.of("reset --hard*", "clean -*", "--upload-pack*", "--receive-pack*", "--exec*")),
            new DenyRule("**/docker*", List.of("compose down -v*", "compose down --volumes*", "system prune*",
                    "volume prune*", "volume rm*")));

    private DemoPolicy() {}

    static Policy create(Path workdirRoot, HostModel host) {
        String root = workdirRoot.toAbsolutePath().normalize().toString();
        if (host.windows()) {
            root = root.replace('\\', '/');
        }
        List<String> roots = List.of(root);
        List<AllowRule> allow = new ArrayList<>();
        Resolver resolver = new Resolver(host);
        pin(resolver, "git", List.of("status *", "rev-parse *", "log *", "diff *", "branch *", "fetch --all --prune",
                "--version"), roots, host, allow);
        pin(resolver, "docker", List.of("version *", "ps *", "compose ps *", "compose logs *", "--version"), roots, host, allow);
        pin(resolver, "hostname", List.of(""), List.of(), host, allow);
        pin(resolver, "whoami", List.of(""), List.of(), host, allow);
        if (!host.windows()) {
            pin(resolver, "echo", List.of(), List.of(), host, allow);
        }
        try {
            return Policy.of(SecurityMode.ALLOWLIST, AskMode.ON_MISS, AskFallback.DENY, Policy.DEFAULT_APPROVAL_TIMEOUT, allow,
                    STANDARD_DENY, false, null, List.of());
        } catch (PolicyException e) {
            throw new IllegalStateException("the demo policy is invalid: " + e.getMessage(), e);
        }
    }

    private static void pin(Resolver resolver, String name, List<String> args, List<String> roots, HostModel host,
                            List<AllowRule> out) {
        try {
            String real = resolver.executable(name, null).toString();
            if (host.windows()) {
                real = real.replace('\\', '/');
            }
            if (!real.contains("*") && !real.contains("?")) {
                out.add(new AllowRule(real, args, roots));
            }
        } catch (Refusal notOnThisHost) {
            // not installed here: the demo simply does not allow it
        }
    }
}
