package dev.hostops.node;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.TlsOptions;
import dev.hostops.contracts.NodeId;
import dev.hostops.node.store.NodeStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a node agent needs, validated when built. Loaded by {@link NodeConfigLoader} from a
 * YAML file, the environment ({@code HOSTOPS_NODE_*}) and command-line flags.
 *
 * @param maxConcurrency   how many commands may run at once; the rest wait in arrival order
 * @param defaultTimeout   execution limit for commands that give no timeoutMs
 * @param maxTimeout       upper bound on any command's timeoutMs
 * @param heartbeat        how often presence is re-published (keeps AMQP presence fresh; harmless on MQTT)
 * @param retention        how long ids of finished commands are remembered (the dedupe window)
 * @param http             where to serve /healthz and /metrics, or null for none
 * @param audit            the hash-chained audit log of this node's decisions (default {@code dataDir/audit.jsonl})
 * @param queueInMemory    how many commands may wait in memory for a slot (0: the default, 1,000); while
 *                         that many wait, later ones wait in the store and are read back in order
 * @param tailKiB          how many KiB of the end of stdout and of stderr a result carries (0: the default, 4;
 *                         at most 64): the whole output is in the log chunks either way
 * @param drainTimeout     on a clean stop, how long the agent waits for the broker to acknowledge the
 *                         results of the commands it cancelled (and anything else in the outbox)
 *                         before it says it is offline and disconnects (null: 5 s); what is left
 *                         stays in the outbox for the next start
 */
public record NodeConfig(
        BrokerUrl broker,
        String nodeId,
        Path policyFile,
        Path dataDir,
        int maxConcurrency,
        Duration defaultTimeout,
        Duration maxTimeout,
        Duration heartbeat,
        Duration retention,
        NodeStore.Durability durability,
        Map<String, String> labels,
        InetSocketAddress http,
        TlsOptions tls,
        Path audit,
        int queueInMemory,
        int tailKiB,
        Duration drainTimeout) {

    public static final int DEFAULT_MAX_CONCURRENCY = 4;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofHours(6);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final String DEFAULT_AUDIT_FILE = "audit.jsonl";
    public static final int DEFAULT_QUEUE_IN_MEMORY = 1000;
    public static final int DEFAULT_TAIL_KIB = 4;
    /** A result carries two tails; 64 KiB each keeps it far below every broker's message limit. */
    public static final int MAX_TAIL_KIB = 64;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

    public NodeConfig {
        Objects.requireNonNull(broker, "broker must be set (--broker mqtt://host:1883 or amqp://...)");
        NodeId.require(nodeId, "node");
        Objects.requireNonNull(policyFile, "policy must be set (--policy FILE)");
        Objects.requireNonNull(dataDir, "data-dir must be set");
        if (maxConcurrency < 1 || maxConcurrency > 1024) {
            throw new IllegalArgumentException("max-concurrency must be 1 to 1024, not " + maxConcurrency);
        }
        defaultTimeout = positive(defaultTimeout, DEFAULT_TIMEOUT, "default-timeout");
        maxTimeout = positive(maxTimeout, DEFAULT_MAX_TIMEOUT, "max-timeout");
        heartbeat = positive(heartbeat, DEFAULT_HEARTBEAT, "heartbeat");
        retention = positive(retention, DEFAULT_RETENTION, "retention");
        durability = durability == null ? NodeStore.Durability.FULL : durability;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        audit = audit == null ? dataDir.resolve(DEFAULT_AUDIT_FILE) : audit;
        if (queueInMemory < 0 || queueInMemory > 1_000_000) {
            throw new IllegalArgumentException("queue-in-memory must be 1 to 1000000 (0: the default), not " + queueInMemory);
        }
        queueInMemory = queueInMemory == 0 ? DEFAULT_QUEUE_IN_MEMORY : queueInMemory;
        if (tailKiB < 0 || tailKiB > MAX_TAIL_KIB) {
            throw new IllegalArgumentException("tail-kib must be 1 to " + MAX_TAIL_KIB + " (0: the default, "
                    + DEFAULT_TAIL_KIB + "), not " + tailKiB);
        }
        tailKiB = tailKiB == 0 ? DEFAULT_TAIL_KIB : tailKiB;
        drainTimeout = positive(drainTimeout, DEFAULT_DRAIN_TIMEOUT, "drainTimeout");
    }

    /** Without an explicit audit file: it is {@code dataDir/audit.jsonl}. */
    public NodeConfig(BrokerUrl broker, String nodeId, Path policyFile, Path dataDir, int maxConcurrency,
                      Duration defaultTimeout, Duration maxTimeout, Duration heartbeat, Duration retention,
                      NodeStore.Durability durability, Map<String, String> labels, InetSocketAddress http, TlsOptions tls) {
        this(broker, nodeId, policyFile, dataDir, maxConcurrency, defaultTimeout, maxTimeout, heartbeat, retention,
                durability, labels, http, tls, null, 0, 0, null);
    }

    /** The same, with {@code n} commands at most waiting in memory. */
    public NodeConfig withQueueInMemory(int n) {
        return new NodeConfig(broker, nodeId, policyFile, dataDir, maxConcurrency, defaultTimeout, maxTimeout, heartbeat,
                retention, durability, labels, http, tls, audit, n, tailKiB, drainTimeout);
    }

    /** The same, with results carrying {@code kib} KiB of each stream's end. */
    public NodeConfig withTailKiB(int kib) {
        return new NodeConfig(broker, nodeId, policyFile, dataDir, maxConcurrency, defaultTimeout, maxTimeout, heartbeat,
                retention, durability, labels, http, tls, audit, queueInMemory, kib, drainTimeout);
    }

    /** The same, with a clean stop waiting up to {@code d} for the broker to acknowledge the outbox. */
    public NodeConfig withDrainTimeout(Duration d) {
        return new NodeConfig(broker, nodeId, policyFile, dataDir, maxConcurrency, defaultTimeout, maxTimeout, heartbeat,
                retention, durability, labels, http, tls, audit, queueInMemory, tailKiB, d);
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
        return value;
    }

    /** The agent's MQTT client id and AMQP queue name: stable per node so the session persists. */
    public String clientId() {
        return "hostops-node-" + nodeId;
    }
}
