package dev.hostops.node.policy;

import java.util.Locale;

/**
 * What a node does when nobody answered an approval request in time (the policy's
 * {@code askFallback}), with OpenClaw's names for the same choices.
 */
public enum AskFallback {
    /** Refuse: REJECTED with APPROVAL_TIMEOUT. The default. */
    DENY,
    /**
     * Run it only if the allowlist alone allows it: a command asked about only because of
     * {@code ask: always}. A miss, or a shell wrapper, is refused as with {@link #DENY}.
     */
    ALLOWLIST,
    /** Run it anyway. Written {@code full}, or {@code allow} (this project's first name for it). */
    FULL;

    /** The policy file's spelling; {@code allow} reads as {@link #FULL}. */
    public static AskFallback fromWire(String value) {
        return "allow".equals(value) ? FULL : valueOf(value.toUpperCase(Locale.ROOT));
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
