package dev.hostops.node.it;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeConfig;
import java.nio.file.Path;
import java.util.UUID;

/**
 * One test's node, end to end: a {@link TestHost} with a node id of its own (so tests never see
 * each other's messages), an {@link Orchestrator} on the broker, and the agent under test, which
 * the test starts (and may restart) and {@link #close()} stops.
 */
final class AgentRig implements AutoCloseable {
    final BrokerUrl broker;
    final TestHost host;
    final Orchestrator tier2;
    private NodeAgent agent;

    private AgentRig(BrokerUrl broker, TestHost host) throws Exception {
        this.broker = broker;
        this.host = host;
        this.tier2 = new Orchestrator(broker, host.node);
    }

    /** A new host under {@code tmp}, its node named {@code prefix} and a random suffix; no agent yet. */
    static AgentRig on(BrokerUrl broker, Path tmp, String prefix) throws Exception {
        return new AgentRig(broker, new TestHost(tmp, prefix + "-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    /** Starts an agent with the host's default settings, after stopping the one running. */
    NodeAgent start() throws Exception {
        stopAgent();
        agent = host.start(broker);
        return agent;
    }

    /** Starts an agent with {@code config}, after stopping the one running. */
    NodeAgent start(NodeConfig config) throws Exception {
        stopAgent();
        NodeAgent a = new NodeAgent(config);
        agent = a;
        a.start();
        return a;
    }

    /** The agent running now (null before the first start and after {@link #stopAgent()}). */
    NodeAgent agent() {
        return agent;
    }

    /** Stops the agent the way its service manager does; idempotent. */
    void stopAgent() {
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    @Override
    public void close() {
        stopAgent();
        tier2.close();
    }
}
