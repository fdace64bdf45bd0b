package dev.hostops.node.policy.internal;

import dev.hostops.node.policy.AllowRule;
import dev.hostops.node.policy.DenyRule;
import dev.hostops.node.policy.HostModel;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The policy's allow, approved and deny rules, compiled once for one host; immutable. */
public final class RuleSet {

    /**
     * The outcome of looking a command up in the allow and approved rules.
     *
     * @param workdirMissRule when nothing matched: the first rule that matched all but its workdir roots
     * @param envMiss         when nothing matched: the first rule that matched all but the environment, and the first
     *                        variable it does not let the command set
     */
    public record AllowMatch(String rule, boolean approved, String workdirMissRule, EnvMiss envMiss) {
        public static final AllowMatch NONE = new AllowMatch(null, false, null, null);

        public boolean matched() {
            return rule != null;
        }
    }

    /** A rule that would have matched but for the variable {@code name}. */
    public record EnvMiss(String rule, String name) {}

    private record Allow(String label, PathGlob glob, List<ArgPattern> args, List<String> roots, List<String> env,
                         boolean approved) {}

    private record Deny(String label, PathGlob glob, List<ArgPattern> args) {}

    private final HostModel host;
    private final List<Allow> allow;
    private final List<Deny> deny;

    public RuleSet(List<AllowRule> allowRules, List<DenyRule> denyRules, List<AllowRule> approvedRules, HostModel host) {
        this.host = host;
        List<Allow> a = new ArrayList<>();
        for (int i = 0; i < allowRules.size(); i++) {
            a.add(compile("allow[" + i + "] ", allowRules.get(i), false));
        }
        for (int i = 0; i < approvedRules.size(); i++) {
            a.add(compile("approved[" + i + "] ", approvedRules.get(i), true));
        }
        List<Deny> d = new ArrayList<>();
        for (int i = 0; i < denyRules.size(); i++) {
            DenyRule r = denyRules.get(i);
            d.add(new Deny("deny[" + i + "] " + r.path(), glob(r.path()),
                    r.args().stream().map(p -> ArgPattern.parse(p, host.windows(), true)).toList()));
        }
        this.allow = List.copyOf(a);
        this.deny = List.copyOf(d);
    }

    private Allow compile(String prefix, AllowRule r, boolean approved) {
        String label = prefix + r.path() + (approved && !r.args().isEmpty() ? " " + r.args().get(0) : "");
        return new Allow(label, glob(r.path()), r.args().stream().map(p -> ArgPattern.parse(p, host.windows(), false)).toList(),
                r.workdirs(), r.env(), approved);
    }

    private PathGlob glob(String path) {
        return PathGlob.compile(path, host.windows(), host.caseInsensitive());
    }

    /** The first deny rule that forbids this command, named with the pattern that matched. */
    public Optional<String> denied(Path executable, List<String> args) {
        String exe = executable.toString();
        for (Deny d : deny) {
            if (!d.glob().matches(exe, host.windows())) {
                continue;
            }
            if (d.args().isEmpty()) {
                return Optional.of(d.label());
            }
            for (ArgPattern p : d.args()) {
                if (p.occursIn(args)) {
                    return Optional.of(d.label() + " " + p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The first allow (then approved) rule whose path, arguments, workdir roots and environment names all match; or,
     * when none does, the first that failed only on its workdir roots or only on the environment (see
     * {@link AllowMatch}), to say why.
     */
    public AllowMatch allowed(Path executable, List<String> args, Path workdir, Collection<String> envNames) {
        String exe = executable.toString();
        String workdirMiss = null;
        EnvMiss envMiss = null;
        for (Allow a : allow) {
            if (!a.glob().matches(exe, host.windows())) {
                continue;
            }
            if (!a.args().isEmpty() && a.args().stream().noneMatch(p -> p.matchesAll(args))) {
                continue;
            }
            if (!a.roots().isEmpty() && !insideAny(workdir, a.roots())) {
                if (workdirMiss == null) {
                    workdirMiss = a.label();
                }
                continue;
            }
            Optional<String> notCovered = EnvNames.firstNotCovered(envNames, a.env(), host.windows());
            if (notCovered.isPresent()) {
                if (envMiss == null) {
                    envMiss = new EnvMiss(a.label(), notCovered.get());
                }
                continue;
            }
            return new AllowMatch(a.label(), a.approved(), null, null);
        }
        return new AllowMatch(null, false, workdirMiss, envMiss);
    }

    private boolean insideAny(Path workdir, List<String> roots) {
        if (workdir == null) {
            return false;
        }
        String wd = comparable(workdir.toString());
        for (String root : roots) {
            String r = comparable(realOrAsWritten(root));
            if (wd.equals(r) || wd.startsWith(r.endsWith("/") ? r : r + "/")) {
                return true;
            }
        }
        return false;
    }

    /** A root that exists is compared by its real path (links followed), like the workdir it is compared with. */
    private String realOrAsWritten(String root) {
        try {
            return host.fileSystem().getPath(root).toRealPath().toString();
        } catch (IOException | InvalidPathException e) {
            return root;
        }
    }

    private String comparable(String path) {
        String p = host.windows() ? path.replace('\\', '/') : path;
        if (p.length() > 1 && p.endsWith("/") && !(host.windows() && p.length() == 3)) {
            p = p.substring(0, p.length() - 1);
        }
        return host.caseInsensitive() ? p.toLowerCase(Locale.ROOT) : p;
    }
}
