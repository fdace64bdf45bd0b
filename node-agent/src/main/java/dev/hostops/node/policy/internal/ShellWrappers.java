package dev.hostops.node.policy.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recognises programs that run code or programs named in their arguments rather than one fixed program: shells,
 * launchers and interpreters. An allowlist entry on their path would allow everything, so they need an approval or
 * {@code security: full}. The rules (documented in docs/POLICY.md) err on the side of "wrapper":
 *
 * <ul>
 *   <li>{@code cmd.exe}, {@code command.com}: always.</li>
 *   <li>PowerShell ({@code pwsh}, {@code powershell}): unless the arguments are only {@code -NoProfile},
 *       {@code -NonInteractive}, {@code -NoLogo}, {@code -ExecutionPolicy X} followed by {@code -File script}.</li>
 *   <li>POSIX shells and script interpreters ({@code sh}, {@code bash}, {@code python}, {@code node}, ...):
 *       unless the first argument is a script file (does not start with {@code -} or {@code +}).</li>
 *   <li>Launchers that run the program named in their arguments ({@code env}, {@code sudo}, {@code xargs},
 *       {@code nohup}, {@code wsl}, {@code runas}, {@code awk}, ...): always.</li>
 *   <li>Windows batch files ({@code .bat}, {@code .cmd}) run by cmd.exe: when an argument contains a character cmd
 *       treats specially ({@code & | < > ^ % ! "} or a line break).</li>
 * </ul>
 */
public final class ShellWrappers {
    private static final Set<String> ALWAYS = Set.of(
            "cmd", "command", "env", "sudo", "doas", "su", "runuser", "pkexec", "nice", "nohup", "timeout", "xargs",
            "stdbuf", "setsid", "chroot", "time", "strace", "ltrace", "ionice", "taskset", "chrt", "unshare", "nsenter",
            "flock", "watch", "script", "systemd-run", "busybox", "toybox", "awk", "gawk", "mawk", "nawk", "expect",
            "wsl", "wslhost", "runas", "start", "conhost", "forfiles", "mshta", "wscript", "cscript", "rundll32",
            "regsvr32", "schtasks", "at", "osascript");
    private static final Pattern SCRIPT_FIRST = Pattern.compile(
            "(sh|bash|rbash|zsh|dash|ksh|ksh93|mksh|ash|yash|fish|csh|tcsh"
                    + "|python[0-9.]*|pythonw[0-9.]*|py|pypy[0-9.]*|node|nodejs|deno|bun|perl[0-9.]*|ruby[0-9.]*"
                    + "|php[0-9.]*|lua[0-9.]*|luajit|tclsh[0-9.]*|wish[0-9.]*|jshell|jrunscript|groovy|Rscript|rscript)");
    private static final Set<String> POWERSHELL = Set.of("pwsh", "powershell", "powershell_ise", "pwsh-preview");
    private static final String CMD_SPECIAL = "&|<>^%!\"\n\r";

    private ShellWrappers() {}

    /**
     * Why this program with these arguments is a shell wrapper, or empty when it is not.
     *
     * @param fileName the file name of the resolved executable, e.g. {@code pwsh.exe} or {@code bash}
     * @param args     the arguments after argv[0]
     * @param windows  strip a PATHEXT extension and compare names without case
     */
    public static Optional<String> detect(String fileName, List<String> args, boolean windows, List<String> pathExt) {
        String name = fileName.toLowerCase(Locale.ROOT);
        String ext = "";
        if (windows) {
            for (String e : pathExt) {
                if (name.endsWith(e.toLowerCase(Locale.ROOT))) {
                    ext = e.toLowerCase(Locale.ROOT);
                    name = name.substring(0, name.length() - e.length());
                    break;
                }
            }
        }
        if (ALWAYS.contains(name)) {
            return Optional.of(name + " runs the command or program given in its arguments");
        }
        if (POWERSHELL.contains(name)) {
            return powershellFileOnly(args) ? Optional.empty()
                    : Optional.of(name + " without '-File script' runs inline code (-Command, -EncodedCommand, a script block or standard input)");
        }
        if (SCRIPT_FIRST.matcher(name).matches()) {
            if (args.isEmpty()) {
                return Optional.of(name + " without arguments reads commands from standard input");
            }
            String first = args.get(0);
            if (first.startsWith("-") || first.startsWith("+")) {
                return Optional.of(name + " with option '" + first + "' before a script file may run inline code (-c, -e, ...)");
            }
            return Optional.empty();
        }
        if (windows && (ext.equals(".bat") || ext.equals(".cmd"))) {
            for (String arg : args) {
                for (char c : arg.toCharArray()) {
                    if (CMD_SPECIAL.indexOf(c) >= 0) {
                        return Optional.of(fileName + " is a batch file run by cmd.exe, and an argument contains '"
                                + (c == '\n' || c == '\r' ? "a line break" : String.valueOf(c)) + "', which cmd.exe interprets");
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** {@code [-NoProfile|-NonInteractive|-NoLogo|-ExecutionPolicy X]* -File path [script args...]}. */
    private static boolean powershellFileOnly(List<String> args) {
        int i = 0;
        while (i < args.size()) {
            String param = parameterName(args.get(i));
            if (param == null) {
                return false; // a bare argument: a script block or a command (powershell.exe treats it as -Command)
            }
            if (isAbbreviation(param, "file", 1)) {
                return i + 1 < args.size() && !args.get(i + 1).equals("-") && !args.get(i + 1).isEmpty()
                        && !args.get(i + 1).startsWith("-");
            }
            if (isAbbreviation(param, "noprofile", 3) || isAbbreviation(param, "noninteractive", 4)
                    || isAbbreviation(param, "nologo", 3)) {
                i++;
            } else if (isAbbreviation(param, "executionpolicy", 2) || param.equals("ep")) {
                i += 2;
            } else {
                return false;
            }
        }
        return false;
    }

    /** PowerShell accepts {@code -Name}, {@code --Name} and {@code /Name}, in any case; null for a bare argument. */
    private static String parameterName(String arg) {
        String a = arg;
        if (a.startsWith("--")) {
            a = a.substring(2);
        } else if (a.startsWith("-") || a.startsWith("/") || a.startsWith("\u2013") || a.startsWith("\u2014")) {
            a = a.substring(1);
        } else {
            return null;
        }
        int colon = a.indexOf(':');
        if (colon >= 0) {
            return "\0"; // -Param:value forms are not on the short list of safe switches
        }
        return a.toLowerCase(Locale.ROOT);
    }

    private static boolean isAbbreviation(String given, String full, int minLength) {
        return given.length() >= minLength && full.startsWith(given);
    }
}
