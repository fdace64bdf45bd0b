package dev.hostops.node.policy;

import dev.hostops.node.policy.internal.PathGlob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Entries of a valid policy that can never match on this host. The engine matches the real path of
 * the program (links followed), so an allow entry that names a link, or a file that is not there,
 * silently allows nothing, and a deny entry on a link silently forbids nothing: the mistakes a
 * person makes when copying a path from {@code which} or from another machine. Globs are left
 * alone (what they match is the author's choice), and so is a deny entry for a program this host
 * does not have.
 */
public final class PolicyLint {
    /** One entry that cannot match: {@code rule} names it as decisions do ({@code allow[0] /usr/bin/git}). */
    public record Warning(String rule, String message) {
        @Override
        public String toString() {
            return rule + ": " + message;
        }
    }

    private PolicyLint() {}

    public static List<Warning> check(Policy policy, HostModel host) {
        List<Warning> out = new ArrayList<>();
        allowEntries(policy.allow(), "allow", host, out);
        allowEntries(policy.approved(), "approved", host, out);
        for (int i = 0; i < policy.deny().size(); i++) {
            String name = "deny[" + i + "] " + policy.deny().get(i).path();
            program(policy.deny().get(i).path(), host, false).ifPresent(m -> out.add(new Warning(name, m)));
        }
        return List.copyOf(out);
    }

    private static void allowEntries(List<AllowRule> rules, String kind, HostModel host, List<Warning> out) {
        for (int i = 0; i < rules.size(); i++) {
            AllowRule rule = rules.get(i);
            String name = kind + "[" + i + "] " + rule.path();
            program(rule.path(), host, true).ifPresent(m -> out.add(new Warning(name, m)));
            for (String root : rule.workdirs()) {
                Path p = pathOrNull(root, host);
                if (p != null && !Files.isDirectory(p)) {
                    out.add(new Warning(name, "the workdir root " + root + " is not a directory on this host, so no workdir is inside it"));
                }
            }
        }
    }

    /** What is wrong with an entry's program path here, if anything. */
    private static Optional<String> program(String path, HostModel host, boolean missingMatters) {
        if (PathGlob.hasGlobCharacters(path)) {
            return Optional.empty();
        }
        Path p = pathOrNull(path, host);
        if (p == null) {
            return Optional.of("not a path this host can spell");
        }
        if (!Files.exists(p)) {
            return missingMatters ? Optional.of("no such file on this host") : Optional.empty();
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            return Optional.of("cannot be followed to its real path: " + e.getMessage());
        }
        String written = p.normalize().toString();
        boolean same = host.caseInsensitive() ? real.toString().equalsIgnoreCase(written) : real.toString().equals(written);
        if (!same) {
            String spelled = host.windows() ? real.toString().replace('\\', '/') : real.toString();
            return Optional.of("is a link to " + spelled + "; entries match the real path of the program, so this one "
                    + "never matches: write " + spelled);
        }
        if (Files.isDirectory(real)) {
            return Optional.of("is a directory, not a program");
        }
        return Optional.empty();
    }

    private static Path pathOrNull(String path, HostModel host) {
        try {
            return host.fileSystem().getPath(path);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
