package dev.hostops.contracts;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code command} string into argv. There is no shell: the rules are small and fixed,
 * and anything a shell would treat specially is a rejection, not an accident.
 *
 * <ul>
 *   <li>Unquoted spaces and tabs separate arguments.</li>
 *   <li>{@code '...'} keeps everything inside literally.</li>
 *   <li>{@code "..."} keeps everything inside literally, except that {@code \"} is a quote and
 *       {@code \\} a backslash.</li>
 *   <li>Outside double quotes a backslash is an ordinary character, so Windows paths such as
 *       {@code C:\OpenClaw\run.ps1} need no quoting. Inside double quotes a trailing backslash
 *       must be doubled ({@code "C:\Program Files\\"}), since {@code \"} is a quote.</li>
 *   <li>No globbing: {@code *} and {@code ?} are passed as they are.</li>
 *   <li>Rejected with {@link ErrorCode#SHELL_SYNTAX}: outside quotes {@code ; & | < >}; outside
 *       single quotes a backtick, {@code $(}, {@code ${}, {@code $NAME}, a special parameter
 *       ({@code $1}, {@code $?}, {@code $$}, {@code $!}, {@code $#}, {@code $*}, {@code $@},
 *       {@code $-}), a newline or carriage return; a NUL anywhere; an unterminated quote.</li>
 *   <li>Everything else is literal, including {@code # ~ ( ) { } ! % ^} and a {@code $} that is
 *       not followed by one of the above (e.g. a trailing {@code $}).</li>
 *   <li>An empty quoted argument ({@code ''} or {@code ""}) is an empty argument.</li>
 * </ul>
 *
 * <p>The node rejects a command that splits to nothing or to an empty program with
 * {@link ErrorCode#EMPTY_ARGV}; see {@link dev.hostops.contracts.message.Exec#effectiveArgv()}.
 */
public final class CommandLine {
    private CommandLine() {}

    /** Thrown for shell syntax or bad quoting; the message says what and where. */
    public static final class ShellSyntaxException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public ShellSyntaxException(String message) {
            super(message);
        }

        /** Always {@link ErrorCode#SHELL_SYNTAX}, the code a node answers with. */
        public ErrorCode code() {
            return ErrorCode.SHELL_SYNTAX;
        }
    }

    /**
     * Splits by the rules above.
     *
     * @throws ShellSyntaxException for shell syntax or bad quoting
     * @throws NullPointerException if command is null
     */
    public static List<String> split(String command) {
        List<String> argv = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inArg = false;
        int i = 0;
        int n = command.length();
        while (i < n) {
            char c = command.charAt(i);
            if (c == '\0') {
                throw new ShellSyntaxException("NUL character at position " + i);
            }
            if (c == ' ' || c == '\t') {
                if (inArg) {
                    argv.add(current.toString());
                    current.setLength(0);
                    inArg = false;
                }
                i++;
                continue;
            }
            inArg = true;
            if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new ShellSyntaxException("unterminated single quote at position " + i);
                }
                String inside = command.substring(i + 1, end);
                if (inside.indexOf('\0') >= 0) {
                    throw new ShellSyntaxException("NUL character inside quotes");
                }
                current.append(inside);
                i = end + 1;
            } else if (c == '"') {
                i = readDoubleQuoted(command, i, current);
            } else {
                rejectOperator(command, i, false);
                current.append(c);
                i++;
            }
        }
        if (inArg) {
            argv.add(current.toString());
        }
        return argv;
    }

    private static int readDoubleQuoted(String command, int open, StringBuilder out) {
        int i = open + 1;
        while (i < command.length()) {
            char c = command.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < command.length() && (command.charAt(i + 1) == '"' || command.charAt(i + 1) == '\\')) {
                out.append(command.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '\0') {
                throw new ShellSyntaxException("NUL character at position " + i);
            }
            rejectOperator(command, i, true);
            out.append(c);
            i++;
        }
        throw new ShellSyntaxException("unterminated double quote at position " + open);
    }

    private static void rejectOperator(String command, int i, boolean quoted) {
        char c = command.charAt(i);
        if (!quoted && ";&|<>".indexOf(c) >= 0) {
            throw new ShellSyntaxException("shell operator '" + c + "' at position " + i + " (no shell runs here; send argv)");
        }
        if (c == '`') {
            throw new ShellSyntaxException("backtick at position " + i + " (no command substitution here)");
        }
        if (c == '\n' || c == '\r') {
            throw new ShellSyntaxException("line break at position " + i + " (one command per message)");
        }
        if (c == '$' && i + 1 < command.length()) {
            char next = command.charAt(i + 1);
            if (next == '(' || next == '{' || Character.isLetter(next) || next == '_'
                    || Character.isDigit(next) || "?$!#*@-".indexOf(next) >= 0) {
                throw new ShellSyntaxException("variable or command substitution '$" + next + "' at position " + i
                        + " (nothing is expanded here)");
            }
        }
    }
}
