package dev.hostops.broker;

/**
 * The state of a transport.
 *
 * <pre>
 * NEW ─connect()─&gt; CONNECTING ─&gt; CONNECTED ─(connection lost)─&gt; RECONNECTING ─&gt; CONNECTED
 *                      │                                               │
 *                      └──────────(close())──────&gt; CLOSED &lt;───────────┘
 * </pre>
 *
 * A transport never leaves CLOSED.
 */
public enum ConnectionState {
    NEW, CONNECTING, CONNECTED, RECONNECTING, CLOSED
}
