package dev.hostops.cli.node;

import dev.hostops.cli.support.Shutdown;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeConfig;
import dev.hostops.node.NodeConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hostops node run}: runs the agent in the foreground until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the node agent in the foreground until Ctrl-C.",
                "Settings come from --config FILE, then HOSTOPS_* environment variables, then flags."},
        footer = {"", "Examples:",
                "  hostops node run --broker mqtt://127.0.0.1:1883 --node HostOps-Win --policy policy.yaml",
                "  hostops node run --config C:\\ProgramData\\hostops\\node.yaml"})
public final class NodeRunCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML file with the settings below (camelCase keys).")
    Path config;

    @Option(names = "--broker", paramLabel = "URL", description = "mqtt://host:1883, mqtts://..., amqp://user:pass@host:5672/vhost, amqps://...")
    String broker;

    @Option(names = "--node", paramLabel = "ID", description = "This node's id: [A-Za-z0-9_-]{1,64}.")
    String node;

    @Option(names = "--policy", paramLabel = "FILE", description = "The host's policy (allowlist) file.")
    String policy;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Durable state (default ~/.hostops/node-ID).")
    String dataDir;

    @Option(names = "--max-concurrency", paramLabel = "N", description = "Commands that may run at once (default 4).")
    String maxConcurrency;

    @Option(names = "--queue-in-memory", paramLabel = "N",
            description = "Commands that may wait in memory for a slot; later ones wait in the node store (default 1000).")
    String queueInMemory;

    @Option(names = "--tail-kib", paramLabel = "KIB",
            description = "KiB of the end of stdout and of stderr each result carries, 1 to 64 (default 4); the whole output is in the log chunks.")
    String tailKiB;

    @Option(names = "--http", paramLabel = "HOST:PORT", description = "Serve /healthz and /metrics here (off by default).")
    String http;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label announced in presence (repeatable).")
    Map<String, String> labels;

    @Override
    public Integer call() throws Exception {
        unpooledNettyBuffers();
        NodeConfigLoader loader = new NodeConfigLoader();
        if (config != null) {
            loader.file(config);
        }
        loader.environment(System.getenv())
                .set("broker", broker).set("node", node).set("policy", policy).set("dataDir", dataDir)
                .set("maxConcurrency", maxConcurrency).set("queueInMemory", queueInMemory).set("http", http)
                .set("tailKiB", tailKiB);
        if (labels != null) {
            labels.forEach(loader::label);
        }
        NodeConfig cfg = loader.build();
        NodeAgent agent = new NodeAgent(cfg);
        System.err.println("hostops node: starting " + cfg.nodeId() + " against " + cfg.broker() + " ...");
        agent.start();
        System.err.println("hostops node: " + cfg.nodeId() + " is online; Ctrl-C stops it.");
        Shutdown.awaitSignal(agent::close);
        return 0;
    }

    /**
     * In the agent's process Netty carries only the one MQTT connection (the HiveMQ client). Its
     * pooled allocator keeps a 4 MiB chunk of direct memory from the first message on, plus pool
     * state on the heap: about 6 MiB of an idle agent's RSS, measured. Unpooled buffers are made
     * per message and freed at once, which a node's traffic does not notice. Set before Netty
     * loads, and only when nobody chose otherwise.
     */
    private static void unpooledNettyBuffers() {
        if (System.getProperty("io.netty.allocator.type") == null) {
            System.setProperty("io.netty.allocator.type", "unpooled");
        }
    }
}
