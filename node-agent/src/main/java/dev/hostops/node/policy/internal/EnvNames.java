package dev.hostops.node.policy.internal;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code env} list of an allow entry: the environment variables a command may set for that program. Each item
 * is a name ({@code GIT_TERMINAL_PROMPT}) or a prefix ending in {@code *} ({@code LC_*}); a bare {@code *} is
 * refused, since it would turn the list back into "anything but the forbidden names". Names are compared as the
 * OS compares them: without case on Windows, exactly elsewhere.
 */
public final class EnvNames {
    private EnvNames() {}

    /** Why this item cannot be in an {@code env} list, or empty when it can. */
    public static Optional<String> problem(String item) {
        if (item == null || item.isBlank()) {
            return Optional.of("is empty");
        }
        String name = item.endsWith("*") ? item.substring(0, item.length() - 1) : item;
        if (name.isEmpty()) {
            return Optional.of("is '*', which would let a command set any variable; list the names the program needs");
        }
        if (name.indexOf('*') >= 0 || name.indexOf('?') >= 0) {
            return Optional.of("'" + item + "' has a glob character inside; only a trailing * (a prefix) is understood");
        }
        if (name.indexOf('=') >= 0 || name.indexOf('\0') >= 0 || !name.strip().equals(name)) {
            return Optional.of("'" + item + "' is not a variable name");
        }
        if (ForbiddenEnv.reason(name, false).isPresent()) {
            return Optional.of("'" + item + "' can never be set by a command (docs/POLICY.md, forbidden variables)");
        }
        return Optional.empty();
    }

    /**
     * The first name the command sets that {@code allowed} does not cover, or empty when it covers them all (an
     * empty {@code allowed} covers nothing).
     */
    public static Optional<String> firstNotCovered(Collection<String> names, List<String> allowed, boolean caseInsensitive) {
        for (String name : names) {
            if (!covered(name, allowed, caseInsensitive)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static boolean covered(String name, List<String> allowed, boolean caseInsensitive) {
        String n = caseInsensitive ? name.toUpperCase(Locale.ROOT) : name;
        for (String item : allowed) {
            String a = caseInsensitive ? item.toUpperCase(Locale.ROOT) : item;
            if (a.endsWith("*") ? n.startsWith(a.substring(0, a.length() - 1)) : n.equals(a)) {
                return true;
            }
        }
        return false;
    }
}
