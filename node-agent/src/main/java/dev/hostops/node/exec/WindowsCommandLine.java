package dev.hostops.node.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How each argument of argv reaches a Windows program exactly as the policy judged it.
 *
 * <p>Windows has no argv: a program gets one command line and splits it itself, almost always
 * with the rules of the Microsoft C runtime ({@code CommandLineToArgvW} follows them too):
 * whitespace separates arguments outside double quotes, {@code 2n} backslashes before a quote
 * stand for {@code n} backslashes and the quote opens or closes a quoted part, {@code 2n+1}
 * backslashes before a quote stand for {@code n} backslashes and a literal quote, and other
 * backslashes are literal.
 *
 * <p>The JDK builds that line from argv, and by default (its "legacy" mode, in force unless
 * {@code jdk.lang.Process.allowAmbiguousCommands=false} or a security manager) it does not
 * escape: an argument that starts and ends with a quote is copied as it is, and one with a space
 * is wrapped in quotes without escaping the quotes inside. So the single argument
 * {@code "origin" --upload-pack=calc "x"}, which no deny rule for {@code --upload-pack*} matches,
 * would reach git.exe as three arguments. {@link #forProcessBuilder} therefore spells every
 * argument by the rules above itself, in a shape the legacy mode copies unchanged: either wrapped
 * in quotes (and not ending in {@code \"}, which the JDK takes for an escaped quote) or without
 * space, tab or quote. One argument cannot be written so: one with a space or tab that ends with
 * a backslash ({@link #problem}); the policy refuses it before it is judged.
 *
 * <p>Batch files ({@code .bat}, {@code .cmd}) are run by cmd.exe, which splits by its own rules;
 * their arguments are left to the JDK, and the policy already treats one with a quote or another
 * character cmd.exe interprets as a shell wrapper (docs/POLICY.md).
 */
public final class WindowsCommandLine {
    /** The system property that switches the JDK's legacy mode off; the encoding relies on it being on. */
    public static final String AMBIGUOUS_COMMANDS_PROPERTY = "jdk.lang.Process.allowAmbiguousCommands";

    private WindowsCommandLine() {}

    /**
     * Why this argument cannot reach a Windows program intact, or empty when it can: only an
     * argument with a space or tab that ends with a backslash, such as {@code C:\Program Files\}.
     */
    public static Optional<String> problem(String arg) {
        if (arg.endsWith("\\") && hasWhitespace(arg)) {
            return Optional.of("contains a space or tab and ends with a backslash, which Java cannot pass to a "
                    + "Windows program as one argument; write it without the trailing backslash");
        }
        return Optional.empty();
    }

    /**
     * argv for {@link ProcessBuilder} on Windows: the program as it is; the arguments of a batch
     * file as they are; every other argument {@linkplain #encode encoded}.
     *
     * @throws IllegalArgumentException for an argument with a {@link #problem}
     */
    public static List<String> forProcessBuilder(List<String> argv) {
        if (argv.isEmpty() || isBatchFile(argv.get(0))) {
            return argv;
        }
        List<String> out = new ArrayList<>(argv.size());
        out.add(argv.get(0));
        for (int i = 1; i < argv.size(); i++) {
            out.add(encode(argv.get(i)));
        }
        return out;
    }

    /**
     * The argument as the C runtime's rules read it back unchanged, shaped so that the JDK's
     * legacy mode copies it into the command line as it is.
     *
     * @throws IllegalArgumentException for an argument with a {@link #problem}
     */
    public static String encode(String arg) {
        problem(arg).ifPresent(why -> {
            throw new IllegalArgumentException("the argument '" + arg + "' " + why);
        });
        boolean wrap = arg.isEmpty() || hasWhitespace(arg);
        if (!wrap && arg.indexOf('"') < 0) {
            return arg; // no quote to escape, no space to protect: backslashes are literal here
        }
        StringBuilder sb = new StringBuilder(arg.length() + 8);
        if (wrap) {
            sb.append('"');
        }
        int backslashes = 0;
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\') {
                backslashes++;
                continue;
            }
            if (c == '"') {
                // 2n+1 backslashes and the quote: n backslashes and a literal quote.
                sb.append("\\".repeat(2 * backslashes + 1));
            } else {
                sb.append("\\".repeat(backslashes));
            }
            backslashes = 0;
            sb.append(c);
        }
        // Trailing backslashes are literal unless a closing quote follows; problem() keeps them
        // out of wrapped arguments, so they are only ever literal here.
        sb.append("\\".repeat(backslashes));
        if (wrap) {
            sb.append('"');
        }
        return sb.toString();
    }

    /** A {@code .bat} or {@code .cmd} file, which Windows runs through cmd.exe. */
    public static boolean isBatchFile(String program) {
        String lower = program.toLowerCase(Locale.ROOT);
        return lower.endsWith(".bat") || lower.endsWith(".cmd");
    }

    private static boolean hasWhitespace(String s) {
        return s.indexOf(' ') >= 0 || s.indexOf('\t') >= 0;
    }
}
