package dev.hostops.node.bench;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.node.store.NodeStore;
import java.nio.file.Path;

/**
 * @param broker   the broker to measure through; null starts an embedded one
 * @param jar      the packaged hostops jar, to measure an agent process's idle RSS; null skips it
 */
public record AgentBenchOptions(BrokerUrl broker, int warmup, int latencyCount, int throughputCount, int logMiB,
                                int concurrency, NodeStore.Durability durability, Path jar) {
    public static AgentBenchOptions defaults() {
        return new AgentBenchOptions(null, 200, 1000, 3000, 100, 8, NodeStore.Durability.FULL, null);
    }
}
