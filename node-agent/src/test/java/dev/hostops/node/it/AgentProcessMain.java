package dev.hostops.node.it;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeConfig;
import dev.hostops.node.store.NodeStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Runs a node agent in its own JVM, so a test can kill it with SIGKILL, or stop it with SIGTERM as
 * a service manager does: like {@code hostops node run}, a shutdown hook then closes the agent.
 * Args: broker node policy dataDir.
 */
public final class AgentProcessMain {
    private AgentProcessMain() {}

    public static void main(String[] args) throws Exception {
        NodeConfig config = new NodeConfig(BrokerUrl.parse(args[0]), args[1], Path.of(args[2]), Path.of(args[3]), 4,
                Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofDays(1),
                NodeStore.Durability.NORMAL, Map.of(), null, null);
        NodeAgent agent = new NodeAgent(config);
        agent.start();
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "agent-stop"));
        System.out.println("AGENT-STARTED");
        System.out.flush();
        Thread.currentThread().join();
    }
}
