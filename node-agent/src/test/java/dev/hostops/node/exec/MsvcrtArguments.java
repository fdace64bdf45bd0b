package dev.hostops.node.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * Reference models for {@link WindowsCommandLineTest}, written from their documentation, not from
 * their code: how a Windows program splits its command line (Microsoft's "Parsing C command-line
 * arguments"), and how the JDK's legacy mode joins argv into one ({@code ProcessImpl} on Windows,
 * as its comments and the option {@code jdk.lang.Process.allowAmbiguousCommands} describe it).
 */
final class MsvcrtArguments {
    private MsvcrtArguments() {}

    /** The arguments after the program name, split by the C runtime's rules. */
    static List<String> split(String arguments) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = arguments.length();
        while (true) {
            while (i < n && isBlank(arguments.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            StringBuilder arg = new StringBuilder();
            boolean quoted = false;
            while (i < n && (quoted || !isBlank(arguments.charAt(i)))) {
                char c = arguments.charAt(i);
                if (c == '\\') {
                    int start = i;
                    while (i < n && arguments.charAt(i) == '\\') {
                        i++;
                    }
                    int count = i - start;
                    if (i < n && arguments.charAt(i) == '"') {
                        arg.append("\\".repeat(count / 2));
                        if (count % 2 == 1) {
                            arg.append('"');
                            i++;
                        }
                        // an even count leaves the quote to the next round: it opens or closes
                    } else {
                        arg.append("\\".repeat(count));
                    }
                } else if (c == '"') {
                    if (quoted && i + 1 < n && arguments.charAt(i + 1) == '"') {
                        arg.append('"'); // "" inside quotes: a literal quote (the C runtime since 2008)
                        i += 2;
                    } else {
                        quoted = !quoted;
                        i++;
                    }
                } else {
                    arg.append(c);
                    i++;
                }
            }
            out.add(arg.toString());
        }
    }

    /**
     * The JDK's legacy mode: an argument that starts and ends with a quote (and does not end with
     * {@code \"}) is copied; an empty one or one with a space or tab is wrapped in quotes with its
     * trailing backslashes doubled, inner quotes untouched; any other is copied.
     */
    static String legacyJoin(List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (String s : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            boolean looksQuoted = s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") && !s.endsWith("\\\"");
            if (!looksQuoted && (s.isEmpty() || s.indexOf(' ') >= 0 || s.indexOf('\t') >= 0)) {
                int trailing = s.length() - s.replaceAll("\\\\+$", "").length();
                sb.append('"').append(s).append("\\".repeat(trailing)).append('"');
            } else {
                sb.append(s);
            }
        }
        return sb.toString();
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
