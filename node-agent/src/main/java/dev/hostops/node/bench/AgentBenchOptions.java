package dev.hostops.node.bench;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.node.store.NodeStore;
import java.nio.file.Path;

/**
 * @param broker       the broker to measure through; null starts an embedded one
 * @param jar          the packaged hostops jar, to measure an agent process's idle RSS; null skips it
 * @param backlogCount trivial commands published at once to a fresh agent, which must run them all
 *                     with its memory bounded (0 skips the phase)
 */
public record AgentBenchOptions(BrokerUrl broker, int warmup, int latencyCount, int throughputCount, int logMiB,
                                int concurrency, NodeStore.Durability durability, Path jar, int backlogCount) {
    public AgentBenchOptions {
        if (backlogCount < 0) {
            throw new IllegalArgumentException("backlog must be 0 (skip) or more, not " + backlogCount);
        }
    }

    /** Without the backlog phase. */
    public AgentBenchOptions(BrokerUrl broker, int warmup, int latencyCount, int throughputCount, int logMiB,
                             int concurrency, NodeStore.Durability durability, Path jar) {
        this(broker, warmup, latencyCount, throughputCount, logMiB, concurrency, durability, jar, 0);
    }

    public static AgentBenchOptions defaults() {
        return new AgentBenchOptions(null, 200, 1000, 3000, 100, 8, NodeStore.Durability.FULL, null, 0);
    }
}
