package dev.hostops.node.internal;

import dev.hostops.contracts.message.Presence;
import dev.hostops.node.Version;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builds this agent's presence messages: online on connect and as a heartbeat, offline as the will. */
public final class PresenceFactory {
    /** What this agent can do, for dashboards and fan-out selectors. */
    public static final List<String> CAPABILITIES = List.of("exec", "cancel", "approval", "log-stream", "command-string");

    private final String sessionId;
    private final String node;
    private volatile String policyDigest;
    private final Map<String, String> labels;
    private final int maxConcurrency;
    private final String hostname = hostname();

    public PresenceFactory(String sessionId, String node, String policyDigest, Map<String, String> labels, int maxConcurrency) {
        this.sessionId = sessionId;
        this.node = node;
        this.policyDigest = policyDigest;
        this.labels = labels;
        this.maxConcurrency = maxConcurrency;
    }

    /** The policy in force changed: the next online presence carries its digest. */
    public void policyChanged(String digest) {
        this.policyDigest = digest;
    }

    public Presence online() {
        return new Presence(sessionId, node, Presence.State.ONLINE, hostname, System.getProperty("os.name"),
                System.getProperty("os.arch"), Version.current(), policyDigest, CAPABILITIES, labels, maxConcurrency,
                Instant.now());
    }

    public Presence offline() {
        return new Presence(sessionId, node, Presence.State.OFFLINE, hostname, null, null, null, null, null, null, null,
                Instant.now());
    }

    private static String hostname() {
        String env = System.getenv("COMPUTERNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
