package dev.hostops.dispatcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.dispatcher.Dispatcher;
import dev.hostops.dispatcher.DispatcherConfig;
import dev.hostops.dispatcher.events.EventKind;
import dev.hostops.dispatcher.ledger.CommandQuery;
import dev.hostops.dispatcher.ledger.RequestView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code hostops bench dispatcher}: the dispatcher with simulated nodes (no process spawned; each
 * simulated node has its own MQTT connection and answers at once), on a Mosquitto the bench
 * starts (TCP_NODELAY), measured beside its floors:
 * <ol>
 *   <li><b>correlated commands/s</b>: commands POSTed to {@code /v1/commands} (HTTP, pipelined) and
 *       spread over simulated nodes, timed until every result is committed in the ledger (the
 *       dispatcher's RESULT event is published after the commit; then the ledger is queried);</li>
 *   <li><b>broker correlation</b>: the same without HTTP: execs published straight to the broker
 *       and correlated by the dispatcher's observer ({@link BrokerCorrelation});</li>
 *   <li><b>fan-out</b>: one POST with {@code nodes} of every simulated node, timed until every
 *       invocation is terminal in the ledger;</li>
 *   <li><b>RSS</b> of a dispatcher process of its own ({@link RssPhase}) with commands in flight;</li>
 *   <li>floors: a broker round trip and a ledger write ({@link Floors}).</li>
 * </ol>
 * The round trip through the API against a real node agent is measured by the cli command
 * (the agent is not a dependency of the dispatcher).
 */
public final class DispatcherBench {
    static final String TRUE = "/usr/bin/true";

    private final DispatcherBenchOptions options;
    private final Consumer<String> progress;

    public DispatcherBench(DispatcherBenchOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * Correlated throughput: submitted until the last POST answered, correlated until the last
     * result committed. {@code benchCpuPerSecond}: CPU seconds this JVM used per second of the
     * phase (dispatcher, simulated nodes and HTTP client together; the machine has {@code cpus});
     * {@code cpuMsPerCommand}: that CPU split by role, per correlated command ({@link CpuAccount}).
     */
    public record Throughput(int commands, int nodes, int window, double seconds, double submittedPerSecond,
                             double correlatedPerSecond, long resultsSeen, long succeededInLedger, long failedPosts,
                             boolean timedOut, double benchCpuPerSecond, CpuAccount.Report cpuMsPerCommand) {}

    /**
     * One command to many nodes: {@code postSeconds} until the POST is answered (with a view of
     * every invocation), {@code allTerminalSeconds} from the POST to the last invocation's result
     * correlated (its event; the answer to the POST may come after it);
     * {@code cpuMsPerInvocation} as {@link Throughput#cpuMsPerCommand}.
     * Then the same again as an orchestrator waits for it, {@code POST ?wait=}: {@code waitedSeconds}
     * until the answer, whose {@code waitedState} should be DONE, and {@code waitedAnswerAfterLastResultMs}
     * from the last invocation's result event to the answer; and once more with
     * {@code &details=false} ({@code brief...}: each invocation without its command).
     */
    public record FanOut(int nodes, double postSeconds, double allTerminalSeconds, long resultsSeen,
                         Map<String, Integer> ledgerCounts, boolean timedOut, double benchCpuPerSecond,
                         CpuAccount.Report cpuMsPerInvocation, double waitedSeconds, String waitedState,
                         double waitedAnswerAfterLastResultMs, double briefWaitedSeconds, String briefWaitedState,
                         double briefWaitedAnswerAfterLastResultMs) {}

    /**
     * Everything the run measured. {@code warmupCommands}: sent before each of the throughput and
     * broker-correlation phases, through the same path, and not measured. {@code fanOutWarmups}:
     * fan-outs (each sent plain, then with {@code ?wait=}) before the measured {@code fanOut};
     * {@code fanOutFirst} is the first of them, from a dispatcher that had never run a fan-out.
     * {@code dispatcherProcess}: fan-outs to as many nodes, then commands, from a new dispatcher process
     * ({@link DispatcherProcessPhase}). {@code execsRepeated}: execs a simulated node received a second
     * time (the dispatcher published them twice; the node answered with its stored result, as a real
     * node does), over the throughput and fan-out phases.
     */
    public record Report(Machine machine, String broker, String simulatedNodeClient, int simulatedNodes, int warmupCommands,
                         double simulatorsConnectSeconds, double presenceIngestSeconds, boolean sendRunning,
                         Throughput throughput, BrokerCorrelation.Report brokerCorrelation, int fanOutWarmups, FanOut fanOutFirst,
                         FanOut fanOut, DispatcherProcessPhase.Report dispatcherProcess, long execsRepeated, RssPhase.Report rss,
                         Floors.Report floors,
                         String loadAverageAtEnd) {}

    public Report run() throws Exception {
        Machine machine = Machine.current();
        Path dir = Files.createTempDirectory("hostops-bench-dispatcher");
        String token = "bench-" + UUID.randomUUID();
        Path tokens = dir.resolve("tokens.yaml");
        Files.writeString(tokens, "tokens:\n  - name: bench\n    token: \"" + token + "\"\n    roles: [admin]\n");
        int simCount = Math.max(options.fanOutNodes(), options.throughputNodes());
        try (BenchMosquitto mosquitto = BenchMosquitto.start(dir.resolve("mosquitto"))) {
            progress.accept("mosquitto on " + mosquitto.url() + " (set_tcp_nodelay, max_queued_messages unlimited)");
            progress.accept("floors: broker round trip, ledger write");
            Floors.Report floors = Floors.measure(mosquitto.url(), dir.resolve("floors"), 1000, 300);
            progress.accept("floors: " + floors);

            Throughput throughput;
            BrokerCorrelation.Report correlation;
            FanOut fanOut = null;
            FanOut fanOutFirst = null;
            double connectSeconds;
            double presenceSeconds;
            long repeats;
            try (Dispatcher d = new Dispatcher(DispatcherConfig.builder().broker(mosquitto.url())
                    .clientId("bench-dispatcher-" + UUID.randomUUID().toString().substring(0, 8))
                    .dataDir(dir.resolve("dispatcher")).http("127.0.0.1:0").tokens(tokens).build())) {
                d.start();
                BenchHttp http = new BenchHttp("http://127.0.0.1:" + d.httpPort(), token);
                long t0 = System.nanoTime();
                progress.accept("connecting " + simCount + " simulated nodes");
                try (SimulatedNodes sims = SimulatedNodes.start("127.0.0.1", mosquitto.port(), "sim", simCount, 2,
                        options.sendRunning(), Map.of("bench", "sim"), progress)) {
                    connectSeconds = seconds(t0);
                    presenceSeconds = awaitPresence(d, simCount, t0);
                    progress.accept("presence of " + simCount + " nodes in the ledger after " + presenceSeconds + " s");
                    List<String> throughputNodes = sims.names().subList(0, options.throughputNodes());
                    if (options.warmup() > 0) {
                        progress.accept("throughput: warming up with " + options.warmup() + " commands (not measured)");
                        throughput(d, http, throughputNodes, mosquitto.pid(), options.warmup());
                    }
                    throughput = throughput(d, http, throughputNodes, mosquitto.pid(), options.commands());
                    progress.accept("throughput: " + throughput);
                    BrokerCorrelation brokerPath = new BrokerCorrelation(progress, options.phaseTimeout());
                    if (options.warmup() > 0) {
                        progress.accept("broker correlation: warming up with " + options.warmup() + " commands (not measured)");
                        brokerPath.run(d, mosquitto, throughputNodes, options.warmup());
                    }
                    correlation = brokerPath.run(d, mosquitto, throughputNodes, options.commands());
                    progress.accept("broker correlation: " + correlation);
                    if (options.fanOutNodes() > 0) {
                        List<String> fanOutNodes = sims.names().subList(0, options.fanOutNodes());
                        for (int i = 1; i <= options.fanOutWarmup(); i++) {
                            progress.accept("fan-out: warm-up " + i + " of " + options.fanOutWarmup() + " (not measured)");
                            FanOut warm = fanOut(d, http, fanOutNodes, mosquitto.pid());
                            progress.accept("fan-out: warm-up " + i + ": " + warm);
                            if (fanOutFirst == null) {
                                fanOutFirst = warm;
                            }
                        }
                        fanOut = fanOut(d, http, fanOutNodes, mosquitto.pid());
                        progress.accept("fan-out: " + fanOut);
                    }
                    repeats = sims.repeats();
                }
            }
            DispatcherProcessPhase.Report dispatcherProcess = null;
            if (options.fanOutNodes() > 0) {
                dispatcherProcess = new DispatcherProcessPhase(options, progress).run(mosquitto, dir.resolve("dispatcher-process"),
                        tokens, token, options.fanOutNodes(), options.fanOutWarmup() + 1, options.commands());
            }
            RssPhase.Report rss = null;
            if (options.inFlight() > 0) {
                rss = new RssPhase(options, progress).run(mosquitto, dir.resolve("rss"), tokens, token);
                progress.accept("rss: " + rss);
            }
            Report report = new Report(machine, "mosquitto (started by the bench, set_tcp_nodelay true)",
                    "MiniMqttConnection: MQTT 3.1.1 on Vert.x NetClient, one connection per simulated node, 2 event-loop threads for all",
                    simCount, options.warmup(), connectSeconds, presenceSeconds, options.sendRunning(), throughput, correlation, options.fanOutWarmup(), fanOutFirst, fanOut, dispatcherProcess, repeats, rss, floors,
                    Machine.readLoadAverage());
            mosquitto.close();
            deleteTree(dir); // kept when the run failed: the dispatcher's and mosquitto's logs are there
            return report;
        }
    }

    /** Deletes a directory the bench made, with everything in it. */
    public static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private double awaitPresence(Dispatcher d, int count, long t0) throws InterruptedException {
        long deadline = System.nanoTime() + options.phaseTimeout().toNanos();
        while (d.ledger().nodes().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return seconds(t0);
    }

    private Throughput throughput(Dispatcher d, BenchHttp http, List<String> nodes, long brokerPid, int n) throws Exception {
        String prefix = "tp-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        progress.accept("throughput: " + n + " commands to " + nodes.size() + " simulated nodes, " + options.window() + " POSTs outstanding");
        AtomicLong results = new AtomicLong();
        CountDownLatch allResults = new CountDownLatch(n);
        AutoCloseable sub = d.events().subscribe(e -> e.kind() == EventKind.RESULT && e.id().startsWith(prefix), e -> {
            results.incrementAndGet();
            allResults.countDown();
        });
        Semaphore window = new Semaphore(options.window());
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        CountDownLatch answered = new CountDownLatch(n);
        long deadline = System.nanoTime() + options.phaseTimeout().toNanos();
        long cpu0 = cpuNanos();
        CpuAccount.Snapshot before = CpuAccount.take(brokerPid);
        long t0 = System.nanoTime();
        boolean timedOut = false;
        for (int i = 0; i < n; i++) {
            if (!window.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                timedOut = true;
                break;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", prefix + i);
            body.put("node", nodes.get(i % nodes.size()));
            body.put("argv", List.of(TRUE));
            http.post("/v1/commands", body).whenComplete((r, err) -> {
                window.release();
                if (err != null) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, err.toString());
                }
                answered.countDown();
            });
            if (i > 0 && i % 5000 == 0) {
                progress.accept("throughput: " + i + " submitted, " + results.get() + " correlated");
            }
        }
        timedOut |= !answered.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        double submitted = seconds(t0);
        progress.accept("throughput: POSTs answered after " + submitted + " s; waiting for results (" + results.get() + " so far)");
        timedOut |= !allResults.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        double all = seconds(t0);
        double cpu = cpuPerSecond(cpu0, all);
        CpuAccount.Report split = CpuAccount.between(before, CpuAccount.take(brokerPid), results.get());
        sub.close();
        if (firstFailure.get() != null) {
            progress.accept("throughput: first failed POST: " + firstFailure.get());
        }
        long succeeded = succeededInLedger(d, nodes, prefix);
        return new Throughput(n, nodes.size(), options.window(), all, Math.round((n - failed.get()) / submitted),
                Math.round(results.get() / all), results.get(), succeeded, failed.get(), timedOut, cpu, split);
    }

    private FanOut fanOut(Dispatcher d, BenchHttp http, List<String> nodes, long brokerPid) throws Exception {
        String requestId = "fo-" + UUID.randomUUID();
        progress.accept("fan-out: one command to " + nodes.size() + " simulated nodes (maxConcurrency 100%)");
        AtomicLong results = new AtomicLong();
        AtomicLong lastResultAt = new AtomicLong();
        CountDownLatch allResults = new CountDownLatch(nodes.size());
        AutoCloseable sub = d.events().subscribe(e -> e.kind() == EventKind.RESULT && e.id().startsWith(requestId + "."), e -> {
            lastResultAt.set(System.nanoTime());
            results.incrementAndGet();
            allResults.countDown();
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", requestId);
        body.put("nodes", new ArrayList<>(nodes));
        body.put("argv", List.of(TRUE));
        body.put("maxConcurrency", "100%");
        body.put("maxErrors", "100%");
        long cpu0 = cpuNanos();
        CpuAccount.Snapshot before = CpuAccount.take(brokerPid);
        long t0 = System.nanoTime();
        JsonNode answer = http.post("/v1/commands", body).get(options.phaseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        double post = seconds(t0);
        progress.accept("fan-out: POST answered after " + post + " s (state " + answer.path("state").asText() + "); "
                + results.get() + " results so far");
        boolean done = allResults.await(Math.max(0, options.phaseTimeout().toNanos() - (System.nanoTime() - t0)), TimeUnit.NANOSECONDS);
        // When the last result was correlated: the POST's answer (a view of every invocation) may come after it.
        double all = done ? Math.round((lastResultAt.get() - t0) / 1e6) / 1e3 : seconds(t0);
        double cpu = cpuPerSecond(cpu0, seconds(t0));
        CpuAccount.Report split = CpuAccount.between(before, CpuAccount.take(brokerPid), results.get());
        sub.close();
        RequestView view = d.ledger().request(requestId);
        Map<String, Integer> counts = new LinkedHashMap<>();
        view.counts().forEach((k, v) -> counts.put(k.name(), v));

        Waited waited = waited(d, http, body, requestId + "-waited", "");
        Waited brief = waited(d, http, body, requestId + "-brief", "&details=false");
        return new FanOut(nodes.size(), post, all, results.get(), counts, !done, cpu, split, waited.seconds(), waited.state(),
                waited.afterLastResultMs(), brief.seconds(), brief.state(), brief.afterLastResultMs());
    }

    private record Waited(double seconds, String state, double afterLastResultMs) {}

    /** The fan-out again under {@code id}, as an orchestrator that waits for it sends it ({@code ?wait=} and {@code query}). */
    private Waited waited(Dispatcher d, BenchHttp http, Map<String, Object> body, String id, String query) throws Exception {
        body.put("id", id);
        AtomicLong lastResult = new AtomicLong();
        AutoCloseable results = d.events().subscribe(e -> e.kind() == EventKind.RESULT && e.id().startsWith(id + "."),
                e -> lastResult.set(System.nanoTime()));
        long t0 = System.nanoTime();
        JsonNode answer = http.post("/v1/commands?wait=" + Math.max(1, options.phaseTimeout().toSeconds()) + query, body)
                .get(options.phaseTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        long answered = System.nanoTime();
        results.close();
        Waited w = new Waited((answered - t0) / 1e9, answer.path("state").asText(), (answered - lastResult.get()) / 1e6);
        progress.accept("fan-out: the same with wait" + query + " answered after " + w.seconds() + " s (state " + w.state()
                + "), " + w.afterLastResultMs() + " ms after the last result");
        return w;
    }

    /** How many commands whose id starts with {@code prefix} the ledger holds as SUCCEEDED on these nodes. */
    static long succeededInLedger(Dispatcher d, List<String> nodes, String prefix) {
        long succeeded = 0;
        for (String node : nodes) {
            succeeded += d.ledger().commands(new CommandQuery(node, CommandStatus.SUCCEEDED, null, CommandQuery.MAX_LIMIT)).stream()
                    .filter(c -> c.id().startsWith(prefix)).count();
        }
        return succeeded;
    }

    static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    static double cpuPerSecond(long cpu0, double seconds) {
        long cpu1 = cpuNanos();
        return cpu0 < 0 || cpu1 < 0 || seconds <= 0 ? -1 : Math.round((cpu1 - cpu0) / 1e9 / seconds * 100) / 100.0;
    }

    static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e6) / 1e3;
    }

    /**
     * Prints the JSON report; progress on stderr. Arguments (all optional): {@code --commands N --warmup N
     * --nodes N --window N --fan-out N --fan-out-warmup N --in-flight N --timeout-seconds N --no-running-state}.
     */
    public static void main(String[] args) throws Exception {
        DispatcherBenchOptions d = DispatcherBenchOptions.defaults();
        Map<String, String> a = new java.util.HashMap<>();
        boolean running = true;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--no-running-state")) {
                running = false;
            } else {
                a.put(args[i], args[++i]);
            }
        }
        DispatcherBenchOptions o = new DispatcherBenchOptions(
                Integer.parseInt(a.getOrDefault("--commands", "" + d.commands())),
                Integer.parseInt(a.getOrDefault("--warmup", "" + d.warmup())),
                Integer.parseInt(a.getOrDefault("--nodes", "" + d.throughputNodes())),
                Integer.parseInt(a.getOrDefault("--window", "" + d.window())),
                Integer.parseInt(a.getOrDefault("--fan-out", "" + d.fanOutNodes())),
                Integer.parseInt(a.getOrDefault("--fan-out-warmup", "" + d.fanOutWarmup())),
                Integer.parseInt(a.getOrDefault("--in-flight", "" + d.inFlight())), running,
                java.time.Duration.ofSeconds(Long.parseLong(a.getOrDefault("--timeout-seconds", "" + d.phaseTimeout().toSeconds()))),
                List.of());
        Report r = new DispatcherBench(o, l -> System.err.println("bench: " + l)).run();
        System.out.println(BenchHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r));
    }
}
