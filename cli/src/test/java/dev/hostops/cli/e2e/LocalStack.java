package dev.hostops.cli.e2e;

import dev.hostops.broker.embedded.EmbeddedBroker;
import dev.hostops.dispatcher.Dispatcher;
import dev.hostops.dispatcher.DispatcherConfig;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Everything the CLI talks to, in this JVM: an embedded broker, a dispatcher with one token
 * ({@code submit} and {@code read}) and HTTP on a free port, and real node agents added one by one.
 * {@link #close()} stops them in reverse order.
 */
public final class LocalStack implements AutoCloseable {
    private final Path root;
    private final EmbeddedBroker broker;
    private Dispatcher dispatcher;
    private final List<NodeAgent> agents = new ArrayList<>();

    private LocalStack(Path root, EmbeddedBroker broker, Dispatcher dispatcher) {
        this.root = root;
        this.broker = broker;
        this.dispatcher = dispatcher;
    }

    /** Broker and dispatcher under {@code root}; the token is named tier2. */
    public static LocalStack start(Path root, String token) throws Exception {
        return start(root, token, null);
    }

    /**
     * Broker and dispatcher under {@code root}; the token is named tier2 and may submit and read,
     * the approver token (when not null) is named ops and may approve and read.
     */
    public static LocalStack start(Path root, String token, String approverToken) throws Exception {
        return start(root, token, approverToken, "");
    }

    /** As {@link #start(Path, String, String)}, with {@code moreTokens} (entries of the tokens list, as YAML) added. */
    public static LocalStack start(Path root, String token, String approverToken, String moreTokens) throws Exception {
        Path tokens = root.resolve("tokens.yaml");
        Files.writeString(tokens, "tokens:\n  - name: tier2\n    token: \"" + token + "\"\n    roles: [submit, read]\n"
                + (approverToken == null ? "" : "  - name: ops\n    token: \"" + approverToken + "\"\n    roles: [approve, read]\n")
                + moreTokens);
        EmbeddedBroker broker = EmbeddedBroker.inDirectory(root.resolve("broker"));
        broker.start();
        Dispatcher dispatcher = new Dispatcher(dispatcherConfig(root, broker, freePort()));
        try {
            dispatcher.start();
        } catch (RuntimeException e) {
            broker.stop();
            throw e;
        }
        return new LocalStack(root, broker, dispatcher);
    }

    /**
     * Starts an agent for {@code node} with {@code policy}, its data under the stack's root, and
     * returns once the dispatcher knows it.
     *
     * @param durability {@code full} or {@code normal} (the node store's fsync policy)
     */
    public NodeAgent agent(String node, Path policy, String durability) throws Exception {
        NodeAgent agent = new NodeAgent(new NodeConfigLoader().set("broker", broker.url().toString()).set("node", node)
                .set("policy", policy.toString()).set("dataDir", root.resolve("node-" + node).toString())
                .set("durability", durability).build());
        agent.start();
        agents.add(agent);
        Awaitility.await().until(() -> dispatcher.ledger().nodes().stream().anyMatch(n -> n.node().equals(node)));
        return agent;
    }

    private static DispatcherConfig dispatcherConfig(Path root, EmbeddedBroker broker, int port) {
        return DispatcherConfig.builder().broker(broker.url().toString()).dataDir(root.resolve("dispatcher"))
                .http("127.0.0.1:" + port).tokens(root.resolve("tokens.yaml")).build();
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Stops the dispatcher and starts a new one on the same ledger and the same port, as a restart would. */
    public void restartDispatcher() {
        int port = dispatcher.httpPort();
        dispatcher.close();
        dispatcher = new Dispatcher(dispatcherConfig(root, broker, port));
        dispatcher.start();
    }

    public String url() {
        return "http://127.0.0.1:" + dispatcher.httpPort();
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public void close() {
        for (int i = agents.size() - 1; i >= 0; i--) {
            agents.get(i).close();
        }
        dispatcher.close();
        broker.stop();
    }
}
