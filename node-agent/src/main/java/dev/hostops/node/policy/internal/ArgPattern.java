package dev.hostops.node.policy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An argument pattern: matched token by token against the arguments after argv[0], so that quoting cannot smuggle
 * a space or an extra argument past it. The syntax is documented in docs/POLICY.md:
 *
 * <ul>
 *   <li>The pattern is split into tokens at unquoted spaces and tabs; each token stands for one argument.</li>
 *   <li>In a token, unquoted {@code *} matches any run of characters except {@code /} (also none), {@code **} any
 *       run including {@code /}, {@code ?} exactly one character other than {@code /}. So
 *       {@code C:/HostOps/*.ps1} does not match {@code C:/HostOps/../x.ps1}.</li>
 *   <li>{@code '...'} is literal (spaces, {@code *}, {@code ?} included); {@code ''} inside quotes is one quote.</li>
 *   <li>A token that is a bare {@code **} matches any number of arguments (also none). A bare {@code *} as the
 *       last token does the same ("and any further arguments"); a bare {@code *} elsewhere is exactly one argument.</li>
 *   <li>The empty pattern matches only "no arguments".</li>
 * </ul>
 *
 * On Windows {@code \} and {@code /} are the same character here (in the pattern and in the arguments), as they
 * are in Windows paths. With {@code ignoreCase} (deny rules) letters match regardless of case.
 *
 * <p>Allow rules use {@link #matchesAll}: the whole argument list must match. Deny rules use {@link #occursIn}: the
 * tokens must match arguments in the same order, with any arguments before, between and after them.
 */
public final class ArgPattern {
    /** One element of a compiled pattern. */
    private sealed interface Element permits Token, AnyOne, AnyMany {}

    private record Token(Pattern regex) implements Element {
        boolean matches(String argument) {
            return regex.matcher(argument).matches();
        }
    }

    private record AnyOne() implements Element {}

    private record AnyMany() implements Element {}

    private final String source;
    private final List<Element> elements;
    private final boolean windows;

    private ArgPattern(String source, List<Element> elements, boolean windows) {
        this.source = source;
        this.elements = elements;
        this.windows = windows;
    }

    /** Parses a pattern with exact matching ({@code /} and {@code \} distinct, case significant). */
    public static ArgPattern parse(String pattern) {
        return parse(pattern, false, false);
    }

    /** Parses a pattern; the exception message says what is wrong and where. */
    public static ArgPattern parse(String pattern, boolean windows, boolean ignoreCase) {
        if (pattern == null) {
            throw new IllegalArgumentException("the argument pattern is null");
        }
        if (pattern.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the argument pattern contains a NUL character");
        }
        List<Element> elements = new ArrayList<>();
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            StringBuilder re = new StringBuilder();
            StringBuilder raw = new StringBuilder();
            boolean quoted = false;
            while (i < n && pattern.charAt(i) != ' ' && pattern.charAt(i) != '\t') {
                c = pattern.charAt(i);
                if (c == '\'') {
                    quoted = true;
                    int open = i;
                    i++;
                    StringBuilder literal = new StringBuilder();
                    while (true) {
                        if (i >= n) {
                            throw new IllegalArgumentException("unterminated quote at position " + open + " in '" + pattern + "'");
                        }
                        char q = pattern.charAt(i);
                        if (q == '\'') {
                            if (i + 1 < n && pattern.charAt(i + 1) == '\'') {
                                literal.append('\'');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        literal.append(q);
                        i++;
                    }
                    String lit = literal.toString();
                    re.append(Pattern.quote(windows ? lit.replace('\\', '/') : lit));
                } else {
                    raw.append(c);
                    if (c == '*' && i + 1 < n && pattern.charAt(i + 1) == '*') {
                        raw.append('*');
                        re.append(".*");
                        i += 2;
                        continue;
                    }
                    if (c == '*') {
                        re.append("[^/]*");
                    } else if (c == '?') {
                        re.append("[^/]");
                    } else {
                        re.append(Pattern.quote(String.valueOf(windows && c == '\\' ? '/' : c)));
                    }
                    i++;
                }
            }
            String bare = quoted ? null : raw.toString();
            if ("**".equals(bare)) {
                elements.add(new AnyMany());
            } else if ("*".equals(bare)) {
                elements.add(new AnyOne()); // turned into AnyMany below when it is the last token
            } else {
                int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
                elements.add(new Token(Pattern.compile(re.toString(), flags)));
            }
        }
        if (!elements.isEmpty() && elements.get(elements.size() - 1) instanceof AnyOne) {
            elements.set(elements.size() - 1, new AnyMany());
        }
        return new ArgPattern(pattern, List.copyOf(elements), windows);
    }

    /** The whole argument list matches the pattern (allow rules). */
    public boolean matchesAll(List<String> args) {
        return match(elements, fold(args));
    }

    /** The pattern's tokens match arguments in order, anything around and between them (deny rules). */
    public boolean occursIn(List<String> args) {
        List<Element> loose = new ArrayList<>();
        loose.add(new AnyMany());
        for (Element e : elements) {
            loose.add(e);
            loose.add(new AnyMany());
        }
        return match(loose, fold(args));
    }

    private List<String> fold(List<String> args) {
        return windows ? args.stream().map(a -> a.replace('\\', '/')).toList() : args;
    }

    /** Dynamic programming over (element, argument) so that {@code **} never backtracks exponentially. */
    private static boolean match(List<Element> pattern, List<String> args) {
        int p = pattern.size();
        int a = args.size();
        boolean[][] ok = new boolean[p + 1][a + 1];
        ok[p][a] = true;
        for (int i = p - 1; i >= 0; i--) {
            Element e = pattern.get(i);
            for (int j = a; j >= 0; j--) {
                if (e instanceof AnyMany) {
                    ok[i][j] = ok[i + 1][j] || (j < a && ok[i][j + 1]);
                } else if (j < a) {
                    boolean one = e instanceof AnyOne || ((Token) e).matches(args.get(j));
                    ok[i][j] = one && ok[i + 1][j + 1];
                }
            }
        }
        return ok[0][0];
    }

    /** A pattern that matches exactly these arguments and nothing else (used for "allow always" entries). */
    public static String exact(List<String> args) {
        StringBuilder out = new StringBuilder();
        for (String arg : args) {
            if (out.length() > 0) {
                out.append(' ');
            }
            boolean plain = !arg.isEmpty() && arg.chars().noneMatch(ch -> ch == ' ' || ch == '\t' || ch == '*' || ch == '?' || ch == '\'');
            out.append(plain ? arg : "'" + arg.replace("'", "''") + "'");
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
