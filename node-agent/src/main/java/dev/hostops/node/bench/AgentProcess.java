package dev.hostops.node.bench;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Presence;
import dev.hostops.node.NodeJvmOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node agent in a JVM of its own, started from the node jar with {@link NodeJvmOptions} as the
 * service starts it, so the bench measures the agent as deployed (C1 only, serial GC, small heap)
 * and not a copy sharing the bench's JVM, its JIT threads and its heap. Online once its retained
 * presence says so; {@link #close()} stops it the way a service manager does (SIGTERM, then kill).
 */
public final class AgentProcess implements AutoCloseable {
    private static final MessageCodec CODEC = MessageCodec.standard();

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code hostops node run} and waits until the agent announces itself online.
     *
     * @param env extra environment (e.g. HOSTOPS_DURABILITY), on top of this process's
     */
    public static AgentProcess start(Path jar, BrokerUrl url, Transport client, String node, Path policy, Path dataDir,
                              List<String> extraArgs, Map<String, String> env) throws Exception {
        CompletableFuture<Void> online = new CompletableFuture<>();
        client.subscribe(Topics.presence(node), Qos.AT_LEAST_ONCE, m -> {
            if (CODEC.decode(m.payload()) instanceof Presence p && p.state() == Presence.State.ONLINE) {
                online.complete(null);
            }
        }).get(10, TimeUnit.SECONDS);
        List<String> args = new ArrayList<>(List.of("node", "run", "--broker", url.toUnredactedString(), "--node", node,
                "--policy", policy.toString(), "--data-dir", dataDir.toString()));
        args.addAll(extraArgs);
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("agent.log");
        ProcessBuilder pb = new ProcessBuilder(NodeJvmOptions.command(Path.of(System.getProperty("java.home"), "bin", "java"),
                jar, args)).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        AgentProcess agent = new AgentProcess(pb.start(), log);
        try {
            online.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            agent.close();
            throw new IllegalStateException("the agent process did not come online within 60 s (exit "
                    + (agent.process.isAlive() ? "none, still running" : agent.process.exitValue()) + "); its log: " + log);
        }
        return agent;
    }

    long pid() {
        return process.pid();
    }

    /** Where the agent's standard output and error go. */
    public Path log() {
        return log;
    }

    /** Resident memory from /proc, in MiB; null where there is no /proc. */
    Long rssMiB() throws Exception {
        return statusMiB("VmRSS:");
    }

    /** Peak resident memory since the process started (VmHWM), in MiB; null where there is no /proc. */
    Long peakRssMiB() throws Exception {
        return statusMiB("VmHWM:");
    }

    private Long statusMiB(String field) throws Exception {
        Path status = Path.of("/proc/" + process.pid() + "/status");
        if (!Files.exists(status)) {
            return null;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith(field)).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).orElse(null);
    }

    /** Stops it as a service manager does: SIGTERM, and a kill after 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
