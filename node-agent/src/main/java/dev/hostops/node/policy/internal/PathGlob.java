package dev.hostops.node.policy.internal;

import java.util.regex.Pattern;

/**
 * A glob on an absolute file path, compiled once.
 *
 * <p>Syntax: {@code **} matches anything including {@code /} ({@code **}{@code /} also matches no directory at all),
 * {@code *} anything within one path segment, {@code ?} one character other than {@code /}; every other character
 * is literal. Paths and globs are compared with {@code /} as the separator: on Windows {@code \} is turned into
 * {@code /} on both sides first, and the comparison ignores case, so {@code GIT.EXE} and {@code git.exe} are the same.
 */
public final class PathGlob {
    private final String source;
    private final Pattern regex;

    private PathGlob(String source, Pattern regex) {
        this.source = source;
        this.regex = regex;
    }

    /** Compiles a glob; {@code windows} turns on separator folding and case-insensitive matching. */
    public static PathGlob compile(String glob, boolean windows, boolean caseInsensitive) {
        if (glob == null || glob.isBlank()) {
            throw new IllegalArgumentException("the path glob is empty");
        }
        if (glob.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the path glob contains a NUL character");
        }
        String g = windows ? glob.replace('\\', '/') : glob;
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < g.length()) {
            char c = g.charAt(i);
            if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
                if (i + 2 < g.length() && g.charAt(i + 2) == '/') {
                    re.append("(?:.*/)?");
                    i += 3;
                } else {
                    re.append(".*");
                    i += 2;
                }
            } else if (c == '*') {
                re.append("[^/]*");
                i++;
            } else if (c == '?') {
                re.append("[^/]");
                i++;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        int flags = Pattern.DOTALL | (caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return new PathGlob(glob, Pattern.compile(re.toString(), flags));
    }

    /** Does the glob match this path? {@code path} is a real path as the host prints it. */
    public boolean matches(String path, boolean windows) {
        return regex.matcher(windows ? path.replace('\\', '/') : path).matches();
    }

    /** True when a glob character would make {@code path} match more than itself. */
    public static boolean hasGlobCharacters(String path) {
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0;
    }

    @Override
    public String toString() {
        return source;
    }
}
