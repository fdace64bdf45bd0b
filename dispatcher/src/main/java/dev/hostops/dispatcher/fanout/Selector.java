package dev.hostops.dispatcher.fanout;

import dev.hostops.dispatcher.ledger.NodeView;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses nodes by their last presence: every label must match exactly, {@code os} (when given)
 * must equal the node's os ignoring case, and with {@code onlineOnly} the node must be online.
 */
public record Selector(Map<String, String> labels, String os, boolean onlineOnly) {
    public Selector {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public boolean matches(NodeView n) {
        if (onlineOnly && !n.online()) {
            return false;
        }
        if (os != null && (n.os() == null || !n.os().toLowerCase(Locale.ROOT).equals(os.toLowerCase(Locale.ROOT)))) {
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
