package dev.hostops.node.policy.internal;

import dev.hostops.node.policy.PolicyException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of single values in the policy file; each message names the key and, for a choice, the allowed values. */
public final class Values {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})\\s*(ms|s|m|h)");
    private static final Pattern ABSOLUTE = Pattern.compile("(/.*|[A-Za-z]:[/\\\\].*)");

    private Values() {}

    /** One of {@code allowed}, exactly as written; null gives {@code fallback}. */
    public static String choice(String key, String value, List<String> allowed, String fallback, String source)
            throws PolicyException {
        if (value == null) {
            return fallback;
        }
        // YAML 1.1 reads a bare off/no as false: take it as the word that was written.
        String v = value.equals("false") && allowed.contains("off") ? "off" : value;
        if (!allowed.contains(v)) {
            throw new PolicyException(source + ": key '" + key + "' must be one of " + String.join(" | ", allowed)
                    + ", not '" + value + "'");
        }
        return v;
    }

    /** {@code 120s}, {@code 2m}, {@code 1h}, {@code 500ms} or ISO-8601 {@code PT2M}; must be positive. */
    public static Duration duration(String key, String value, Duration fallback, String source) throws PolicyException {
        if (value == null) {
            return fallback;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        Duration d = null;
        Matcher m = DURATION.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } else if (v.startsWith("pt")) {
            try {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new PolicyException(source + ": key '" + key + "' must be a positive duration with a unit, e.g. 120s, 2m, 1h "
                    + "or 500ms, not '" + value + "'");
        }
        return d;
    }

    /** A glob or path that is absolute on some OS ({@code /...}, {@code C:/...}) or starts with {@code *}. */
    public static void absoluteGlob(String key, String value, String source) throws PolicyException {
        if (value == null || value.isBlank()) {
            throw new PolicyException(source + ": key '" + key + "' is required and must not be empty");
        }
        if (!ABSOLUTE.matcher(value).matches() && !value.startsWith("*")) {
            throw new PolicyException(source + ": key '" + key + "' must be an absolute path or glob (such as "
                    + "C:/Program Files/Git/cmd/git.exe, /usr/bin/git or **/git*), not '" + value
                    + "'; find a program's path with 'where.exe git' (Windows) or 'command -v git' (Linux, macOS)");
        }
    }

    /** An absolute directory path (no glob). */
    public static void absoluteDir(String key, String value, String source) throws PolicyException {
        if (value == null || value.isBlank() || !ABSOLUTE.matcher(value).matches()) {
            throw new PolicyException(source + ": key '" + key + "' must be an absolute directory, such as C:/OpenClaw or "
                    + "/srv/app, not '" + value + "'");
        }
        if (value.indexOf('*') >= 0 || value.indexOf('?') >= 0) {
            throw new PolicyException(source + ": key '" + key + "' is a directory root, not a glob: '" + value + "'");
        }
    }
}
