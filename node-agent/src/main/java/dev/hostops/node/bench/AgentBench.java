package dev.hostops.node.bench;

import dev.hostops.broker.bench.MachineInfo;
import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import dev.hostops.broker.embedded.EmbeddedBroker;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeJvmOptions;
import dev.hostops.node.exec.internal.LaunchMechanism;
import dev.hostops.node.NodeConfig;
import dev.hostops.node.store.NodeStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * {@code hostops bench agent}: a real node agent on a real broker, measured from the publish of an
 * exec to the arrival of its result, beside the floors measured in the same run: a bare process
 * spawn from Java, and a broker round trip. Also sustained commands per second, log streaming
 * throughput (every byte checked) and, when the packaged jar is given, the idle RSS of an agent
 * process started the way the service starts it. POSIX hosts only (it runs /usr/bin/true).
 */
public final class AgentBench {
    private final AgentBenchOptions options;
    private final MessageCodec codec = MessageCodec.standard();
    private final Map<String, CompletableFuture<Result>> results = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> logBytes = new ConcurrentHashMap<>();
    private final Consumer<String> progress;
    /** Publishes of the backlog phase not yet acknowledged by the broker, at most. */
    private static final int PUBLISH_WINDOW = 5_000;
    /** How long a run may go without a single result before the bench gives up on it. */
    private static final java.time.Duration STALL = java.time.Duration.ofSeconds(60);

    public AgentBench(AgentBenchOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    public AgentBenchReport run() throws Exception {
        Path dir = Files.createTempDirectory("hostops-bench-agent");
        EmbeddedBroker embedded = null;
        BrokerUrl url = options.broker();
        if (url == null) {
            embedded = EmbeddedBroker.inDirectory(dir.resolve("broker"));
            embedded.start();
            url = embedded.url();
        }
        String node = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Path policy = writePolicy(dir);
        try (Transport client = connect(url, "bench-client-" + node)) {
            subscribe(client, node);
            // The launcher chose the agent's way of starting processes for this JVM too (Main.prepareJvm).
            String mechanism = LaunchMechanism.current();
            progress.accept("floor: raw process spawn x" + options.latencyCount() + " (launch mechanism " + mechanism + ")");
            Stats spawn = spawnFloor();
            progress.accept("floor: broker round trip x" + options.latencyCount());
            Stats roundTrip = brokerFloor(url, client);
            AgentBenchReport.Throughput throughput;
            Stats latency;
            AgentBenchReport.LogStream logs;
            try (AutoCloseable agent = startAgent(url, client, node, policy, dir)) {
                progress.accept("agent: trivial command latency x" + options.latencyCount() + " (after " + options.warmup() + " warm-up)");
                latency = latency(client, node);
                progress.accept("agent: sustained throughput, " + options.throughputCount() + " commands");
                throughput = throughput(client, node);
                progress.accept("agent: log streaming, " + options.logMiB() + " MiB");
                logs = logStream(client, node, dir);
            }
            Long rss = null;
            if (options.jar() != null) {
                progress.accept("agent process: idle RSS");
                rss = idleRss(url, client, policy, dir);
            }
            AgentBenchReport.Backlog backlog = null;
            if (options.backlogCount() > 0) {
                progress.accept("agent: a backlog of " + options.backlogCount() + " commands published at once to a fresh agent");
                backlog = backlog(url, client, policy, dir);
            }
            return new AgentBenchReport(MachineInfo.detect(), url.toString(), agentKind(), options.durability().name(),
                    options.concurrency(), mechanism, spawn, roundTrip, latency, steps.report(), throughput, logs, rss, backlog);
        } finally {
            if (embedded != null) {
                embedded.stop();
            }
        }
    }

    private Path writePolicy(Path dir) throws IOException {
        Path p = dir.resolve("policy.yaml");
        // The real paths (entries match them): on a merged-/usr system /bin/true is /usr/bin/true.
        Files.writeString(p, String.join("\n", "security: allowlist", "ask: off", "allow:",
                "  - path: \"" + Path.of(trueProgram().get(0)).toRealPath() + "\"",
                "  - path: \"" + Path.of(catProgram()).toRealPath() + "\"", ""));
        return p;
    }

    /**
     * The agent to measure: its own JVM started from the node jar as the service starts it, when
     * the jar is known; otherwise (tests, an IDE) one inside this JVM.
     */
    private AutoCloseable startAgent(BrokerUrl url, Transport client, String node, Path policy, Path dir) throws Exception {
        if (options.jar() != null) {
            return AgentProcess.start(options.jar(), url, client, node, policy, dir.resolve("data"),
                    List.of("--max-concurrency", Integer.toString(options.concurrency())),
                    Map.of("HOSTOPS_DURABILITY", options.durability().name().toLowerCase(java.util.Locale.ROOT)));
        }
        NodeConfig config = new NodeConfig(url, node, policy, dir.resolve("data"), options.concurrency(),
                Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofDays(1),
                options.durability(), Map.of(), null, null);
        NodeAgent agent = new NodeAgent(config);
        try {
            agent.start();
        } catch (Exception e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    private String agentKind() {
        return options.jar() != null
                ? "process: java " + NodeJvmOptions.line() + " -jar " + options.jar().getFileName()
                : "in the bench's JVM";
    }

    private static Transport connect(BrokerUrl url, String clientId) throws Exception {
        Transport t = Transports.create(TransportOptions.builder(url, clientId).prefetch(1024).build());
        t.connect().get(15, TimeUnit.SECONDS);
        return t;
    }

    /** Arrival times of the agent's messages during the latency run. */
    private final LatencySteps steps = new LatencySteps();

    private void subscribe(Transport client, String node) throws Exception {
        client.subscribe(Topics.state(node), Qos.AT_LEAST_ONCE, m -> {
            long at = System.nanoTime();
            if (codec.decode(m.payload()) instanceof StateChange c) {
                steps.state(c.id(), c.status(), at);
            }
        }).get(10, TimeUnit.SECONDS);
        client.subscribe(Topics.result(node), Qos.AT_LEAST_ONCE, m -> {
            long at = System.nanoTime();
            Message msg = codec.decode(m.payload());
            if (msg instanceof Result r) {
                steps.result(r.id(), at);
                resultOf(r.id()).complete(r);
            }
        }).get(10, TimeUnit.SECONDS);
        client.subscribe(Topics.log(node), Qos.AT_LEAST_ONCE, m -> {
            if (codec.decode(m.payload()) instanceof LogChunk c) {
                logBytes.computeIfAbsent(c.id(), k -> new AtomicLong()).addAndGet(c.bytes().length);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** Where the result of command {@code id} arrives, whichever comes first: the send or the result. */
    private CompletableFuture<Result> resultOf(String id) {
        return results.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    private Stats spawnFloor() throws Exception {
        Histogram h = Stats.histogram();
        for (int i = 0; i < options.warmup() + options.latencyCount(); i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(trueProgram()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            p.waitFor();
            if (i >= options.warmup()) {
                h.recordValue(System.nanoTime() - t0);
            }
        }
        return Stats.of(h);
    }

    private Stats brokerFloor(BrokerUrl url, Transport client) throws Exception {
        String base = "hostops/bench/" + UUID.randomUUID();
        Map<String, CompletableFuture<Void>> pongs = new ConcurrentHashMap<>();
        try (Transport responder = connect(url, "bench-responder-" + UUID.randomUUID().toString().substring(0, 8))) {
            responder.subscribe(base + "/ping", Qos.AT_LEAST_ONCE,
                    m -> responder.publish(OutboundMessage.reliable(base + "/pong", m.payload()))).get(10, TimeUnit.SECONDS);
            client.subscribe(base + "/pong", Qos.AT_LEAST_ONCE, m -> {
                CompletableFuture<Void> f = pongs.get(new String(m.payload(), StandardCharsets.UTF_8));
                if (f != null) {
                    f.complete(null);
                }
            }).get(10, TimeUnit.SECONDS);
            Histogram h = Stats.histogram();
            for (int i = 0; i < options.warmup() + options.latencyCount(); i++) {
                String key = Integer.toString(i);
                CompletableFuture<Void> f = new CompletableFuture<>();
                pongs.put(key, f);
                long t0 = System.nanoTime();
                client.publish(OutboundMessage.reliable(base + "/ping", key.getBytes(StandardCharsets.UTF_8)));
                f.get(10, TimeUnit.SECONDS);
                if (i >= options.warmup()) {
                    h.recordValue(System.nanoTime() - t0);
                }
                pongs.remove(key);
            }
            return Stats.of(h);
        }
    }

    private CompletableFuture<Result> send(Transport client, String node, List<String> argv) {
        return send(client, node, UUID.randomUUID().toString(), argv);
    }

    private CompletableFuture<Result> send(Transport client, String node, String id, List<String> argv) {
        CompletableFuture<Result> f = resultOf(id);
        client.publish(OutboundMessage.reliable(Topics.cmd(node), codec.encode(Exec.of(id, node, argv))));
        return f;
    }

    private Stats latency(Transport client, String node) throws Exception {
        Histogram h = Stats.histogram();
        for (int i = 0; i < options.warmup() + options.latencyCount(); i++) {
            String id = UUID.randomUUID().toString();
            long t0 = System.nanoTime();
            Result r = send(client, node, id, trueProgram()).get(30, TimeUnit.SECONDS);
            long dt = System.nanoTime() - t0;
            requireSucceeded(r);
            if (i >= options.warmup()) {
                h.recordValue(dt);
                // The RUNNING state may trail the result by a hair (two publishes): wait for it briefly.
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                while (System.nanoTime() < until && !steps.complete(id)) {
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                }
                steps.record(id, t0);
            } else {
                steps.forget(id);
            }
        }
        return Stats.of(h);
    }

    private AgentBenchReport.Throughput throughput(Transport client, String node) throws Exception {
        int n = options.throughputCount();
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        List<CompletableFuture<Result>> all = new ArrayList<>(n);
        long t0 = System.nanoTime();
        for (String id : ids) {
            all.add(send(client, node, id, trueProgram()));
        }
        awaitAll(all, "the throughput run");
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (CompletableFuture<Result> f : all) {
            requireSucceeded(f.get());
        }
        // The result handler completes a future after it noted the arrival, so every result time is there.
        LatencySteps.Burst burst = steps.burst(ids);
        Double claimed = null;
        Double afterClaims = null;
        if (burst.lastDelivered() != 0) {
            claimed = round((burst.lastDelivered() - t0) / 1e9);
            long last = Arrays.stream(burst.results()).max().orElse(0);
            long after = Arrays.stream(burst.results()).filter(t -> t > burst.lastDelivered()).count();
            afterClaims = last > burst.lastDelivered() ? round(after / ((last - burst.lastDelivered()) / 1e9)) : null;
        }
        return new AgentBenchReport.Throughput(n, round(seconds), round(n / seconds), claimed, afterClaims);
    }

    /**
     * Waits for every result for as long as results keep coming; gives up after {@link #STALL}
     * without one, saying how many came and the likely cause, rather than a bare timeout.
     */
    private static void awaitAll(List<CompletableFuture<Result>> all, String phase) throws Exception {
        CompletableFuture<Void> every = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        long t0 = System.nanoTime();
        long done = 0;
        long lastProgress = System.nanoTime();
        while (true) {
            try {
                every.get(1, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.TimeoutException notYet) {
                long now = all.stream().filter(CompletableFuture::isDone).count();
                if (now > done) {
                    done = now;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new IllegalStateException(phase + ": " + done + " of " + all.size() + " results after "
                            + (System.nanoTime() - t0) / 1_000_000_000L + " s, none for the last " + STALL.toSeconds()
                            + " s. Did the broker drop commands? Mosquitto drops QoS 1 messages queued for a client beyond "
                            + "max_queued_messages (1000 by default): run the bench against one with max_queued_messages 0 "
                            + "(docs/BENCHMARKS.md), or the embedded broker (no --broker).");
                }
            }
        }
    }

    private AgentBenchReport.LogStream logStream(Transport client, String node, Path dir) throws Exception {
        Path file = dir.resolve("log-input.txt");
        long size = writeText(file, options.logMiB() * 1024L * 1024L);
        long t0 = System.nanoTime();
        CompletableFuture<Result> f = send(client, node, List.of(catProgram(), file.toString()));
        Result r = f.get(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - t0) / 1e9;
        requireSucceeded(r);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        AtomicLong received = logBytes.computeIfAbsent(r.id(), k -> new AtomicLong());
        while (received.get() < size && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Files.deleteIfExists(file);
        return new AgentBenchReport.LogStream(size, received.get(), round(seconds), round(size / 1048576.0 / seconds),
                received.get() == size && r.stdoutBytes() == size);
    }

    /**
     * Far more commands than may wait in memory, published at once to an agent that has not run
     * any yet: all must succeed, and the process's peak memory shows whether the backlog stayed in
     * the node store (NODE.md, "Any backlog fits").
     */
    private AgentBenchReport.Backlog backlog(BrokerUrl url, Transport client, Path policy, Path dir) throws Exception {
        String node = "bench-backlog-" + UUID.randomUUID().toString().substring(0, 8);
        client.subscribe(Topics.result(node), Qos.AT_LEAST_ONCE, m -> {
            if (codec.decode(m.payload()) instanceof Result r) {
                resultOf(r.id()).complete(r);
            }
        }).get(10, TimeUnit.SECONDS);
        try (AutoCloseable agent = startAgent(url, client, node, policy, dir.resolve("backlog"))) {
            List<CompletableFuture<Result>> all = new ArrayList<>(options.backlogCount());
            // Paced by the broker's acks only: the client's transport holds at most 10,000 publishes.
            java.util.concurrent.Semaphore unacknowledged = new java.util.concurrent.Semaphore(PUBLISH_WINDOW);
            long t0 = System.nanoTime();
            for (int i = 0; i < options.backlogCount(); i++) {
                String id = UUID.randomUUID().toString();
                CompletableFuture<Result> result = resultOf(id);
                all.add(result);
                unacknowledged.acquire();
                client.publish(OutboundMessage.reliable(Topics.cmd(node), codec.encode(Exec.of(id, node, trueProgram()))))
                        .whenComplete((ok, failure) -> {
                            unacknowledged.release();
                            if (failure != null) {
                                result.completeExceptionally(failure);
                            }
                        });
            }
            awaitAll(all, "the backlog run");
            double seconds = (System.nanoTime() - t0) / 1e9;
            int succeeded = 0;
            for (CompletableFuture<Result> f : all) {
                requireSucceeded(f.get());
                succeeded++;
            }
            Long peak = agent instanceof AgentProcess p ? p.peakRssMiB() : null;
            String heap = agent instanceof AgentProcess ? NodeJvmOptions.RECOMMENDED.stream()
                    .filter(o -> o.startsWith("-Xmx")).findFirst().orElse("JVM default") : "the bench's";
            return new AgentBenchReport.Backlog(options.backlogCount(), succeeded, round(seconds),
                    round(options.backlogCount() / seconds), peak, heap);
        }
    }

    private Long idleRss(BrokerUrl url, Transport client, Path policy, Path dir) throws Exception {
        String node = "bench-rss-" + UUID.randomUUID().toString().substring(0, 8);
        try (AgentProcess agent = AgentProcess.start(options.jar(), url, client, node, policy, dir.resolve("rss-data"),
                List.of(), Map.of())) {
            Thread.sleep(3000);   // let start-up garbage settle: this is the idle figure
            return agent.rssMiB();
        }
    }

    private static long writeText(Path file, long bytes) throws IOException {
        String line = "hostops log streaming benchmark line: the quick brown fox jumps over the lazy dog 0123456789\n";
        long written = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (written + line.length() <= bytes) {
                w.write(line);
                written += line.length();
            }
        }
        return written;
    }

    private static void requireSucceeded(Result r) {
        if (r.status() != dev.hostops.contracts.CommandStatus.SUCCEEDED) {
            throw new IllegalStateException("benchmark command " + r.id() + " ended " + r.status()
                    + (r.error() == null ? "" : ": " + r.error().message()));
        }
    }

    private static List<String> trueProgram() {
        return List.of(Files.exists(Path.of("/usr/bin/true")) ? "/usr/bin/true" : "/bin/true");
    }

    private static String catProgram() {
        return Files.exists(Path.of("/usr/bin/cat")) ? "/usr/bin/cat" : "/bin/cat";
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
