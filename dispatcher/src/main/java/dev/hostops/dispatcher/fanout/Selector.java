package dev.hostops.dispatcher.fanout;

import dev.hostops.dispatcher.ledger.NodeView;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses nodes by their last presence: every label must match exactly, {@code os} (when given)
 * must be the node's os exactly or name its {@linkplain #family family} ({@code windows},
 * {@code macos}, {@code linux}), ignoring case, and with {@code onlineOnly} the node must be online.
 */
public record Selector(Map<String, String> labels, String os, boolean onlineOnly) {
    public Selector {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /**
     * The operating system's family, so that {@code windows} matches what a Windows agent announces
     * (Java's os.name: "Windows 11", "Windows Server 2022") and {@code macos} matches "Mac OS X";
     * any other name stands for itself. Case is ignored.
     */
    static String family(String os) {
        String o = os.trim().toLowerCase(Locale.ROOT);
        if (o.startsWith("windows")) {
            return "windows";
        }
        if (o.startsWith("mac") || o.equals("darwin") || o.equals("osx")) {
            return "macos";
        }
        return o;
    }

    public boolean matches(NodeView n) {
        if (onlineOnly && !n.online()) {
            return false;
        }
        if (os != null && (n.os() == null || !(n.os().equalsIgnoreCase(os) || family(n.os()).equals(os.trim().toLowerCase(Locale.ROOT))))) {
            return false;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!e.getValue().equals(n.labels().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
