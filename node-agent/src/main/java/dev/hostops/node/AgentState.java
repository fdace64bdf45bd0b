package dev.hostops.node;

/**
 * Lifecycle of a {@link NodeAgent}.
 *
 * <pre>
 * NEW ─start()─&gt; STARTING ─&gt; RUNNING ─close()─&gt; STOPPING ─&gt; STOPPED
 *                    └──(failure)──────────────────────────&gt; STOPPED
 * </pre>
 */
public enum AgentState {
    NEW, STARTING, RUNNING, STOPPING, STOPPED
}
