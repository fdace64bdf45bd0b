package dev.hostops.node.policy.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Spellings of a Windows path that name a file in a way other than its plain long path. Each of them can make a
 * path look different from the file it opens, so that a glob on the path would judge the wrong thing; they are
 * refused, not normalised.
 */
public final class WindowsPathRules {
    private static final Pattern SHORT_NAME = Pattern.compile(".*~[0-9].*");
    private static final Pattern DEVICE = Pattern.compile("(?i)(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\\$|conout\\$)");

    private WindowsPathRules() {}

    /**
     * Why this path spelling is refused, or empty when it is a plain path (absolute {@code C:\...}, relative, or a bare
     * name). {@code what} names the value in the message, e.g. "argv[0]" or "workdir".
     */
    public static Optional<String> problem(String path, String what) {
        String p = path.replace('\\', '/');
        if (p.startsWith("//")) {
            return Optional.of(what + " '" + path + "' is a UNC or device path (\\\\server\\share, \\\\?\\, \\\\.\\); "
                    + "use a local path with a drive letter");
        }
        int colon = p.indexOf(':');
        boolean drive = p.length() >= 2 && p.charAt(1) == ':' && isAsciiLetter(p.charAt(0));
        if (colon >= 0 && !(drive && colon == 1 && p.indexOf(':', 2) < 0)) {
            return Optional.of(what + " '" + path + "' contains ':' after the drive letter (an alternate data stream "
                    + "such as file.exe::$DATA, or a device); this is not allowed");
        }
        if (drive && (p.length() == 2 || p.charAt(2) != '/')) {
            return Optional.of(what + " '" + path + "' is relative to the current directory of drive "
                    + p.charAt(0) + ": ; write " + p.charAt(0) + ":\\...");
        }
        if (p.startsWith("/")) {
            return Optional.of(what + " '" + path + "' is rooted but has no drive letter; write C:\\...");
        }
        for (String segment : p.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || (drive && segment.equals(p.substring(0, 2)))) {
                continue;
            }
            if (segment.endsWith(".") || segment.endsWith(" ")) {
                return Optional.of(what + " '" + path + "' has a name ending in a dot or space ('" + segment
                        + "'); Windows strips those, so the name is not what it looks like");
            }
            if (SHORT_NAME.matcher(segment).matches()) {
                return Optional.of(what + " '" + path + "' looks like an 8.3 short name ('" + segment
                        + "'); write the long name, e.g. C:\\Program Files");
            }
            for (char c : segment.toCharArray()) {
                if ("<>\"|?*".indexOf(c) >= 0 || c < 32) {
                    return Optional.of(what + " '" + path + "' contains the character '" + printable(c)
                            + "', which is not allowed in a Windows file name");
                }
            }
            String base = segment.contains(".") ? segment.substring(0, segment.indexOf('.')) : segment;
            if (DEVICE.matcher(base.trim().toLowerCase(Locale.ROOT)).matches()) {
                return Optional.of(what + " '" + path + "' names the reserved device '" + base + "'");
            }
        }
        return Optional.empty();
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static String printable(char c) {
        return c < 32 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
