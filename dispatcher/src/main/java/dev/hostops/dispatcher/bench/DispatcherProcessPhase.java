package dev.hostops.dispatcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The dispatcher as it is deployed: a process of its own ({@link DispatcherProcess}, with the JVM
 * options {@code hostops dispatcher run} uses), new, with simulated nodes. Unlike the in-process
 * phases, its JIT compiles only the dispatcher's code (not the simulated nodes' nor the bench's
 * HTTP client), and its CPU is read from {@code /proc}, JIT and GC included.
 *
 * <ol>
 *   <li>Fan-outs to every simulated node, the first right after the start (its JIT has compiled
 *       nothing of them yet). Each is {@code POST ?wait=&details=false}: answered once every
 *       invocation's result is correlated (the end event), with a view of statuses only (40 to 90
 *       ms after the last result on this machine), so the time to the answer bounds the time to
 *       the last correlated result.</li>
 *   <li>Then commands through HTTP to some of the nodes, {@code window} outstanding, each POST
 *       answered once its command is recorded and published.</li>
 * </ol>
 */
final class DispatcherProcessPhase {
    private static final String PREFIX = "pfo";
    private final DispatcherBenchOptions options;
    private final Consumer<String> progress;

    DispatcherProcessPhase(DispatcherBenchOptions options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * @param nodesReadySeconds        from the process's start until it knew every simulated node
     * @param fanOutSeconds            each fan-out, in order, until its waited answer (the first is the new process's first)
     * @param fanOutStates             each answer's state (DONE when every invocation ended)
     * @param fanOutCpuMsPerInvocation the process's CPU (its threads, JIT and GC) over each fan-out, per invocation
     * @param commandsPerSecond        then {@code commands} through HTTP to {@code commandNodes} nodes: POSTs answered per second
     * @param commandCpuMs             the process's CPU per command over them
     * @param rssMiB                   the process's resident memory at the end
     */
    record Report(String jvmOptions, int nodes, double nodesReadySeconds, List<Double> fanOutSeconds, List<String> fanOutStates,
                  List<Double> fanOutCpuMsPerInvocation, int commands, int commandNodes, double commandsPerSecond,
                  double commandCpuMs, long failedPosts, long rssMiB) {}

    Report run(BenchMosquitto mosquitto, Path dir, Path tokens, String token, int nodes, int fanOuts, int commands)
            throws Exception {
        progress.accept("dispatcher process: " + nodes + " simulated nodes, " + fanOuts + " fan-outs, then " + commands
                + " commands (JVM options: " + options.dispatcherJvmText() + ")");
        long t0 = System.nanoTime();
        try (DispatcherProcess.Running p = DispatcherProcess.Running.start(options.dispatcherJvm(), mosquitto.url(), dir, tokens,
                "bench-process-" + UUID.randomUUID().toString().substring(0, 8));
             SimulatedNodes sims = SimulatedNodes.start("127.0.0.1", mosquitto.port(), PREFIX, nodes, 2, options.sendRunning(),
                     Map.of("bench", "pfo"), progress)) {
            BenchHttp http = new BenchHttp("http://127.0.0.1:" + p.httpPort, token);
            long deadline = System.nanoTime() + options.phaseTimeout().toNanos();
            // The broker still holds the presence of earlier phases' nodes: count this phase's, online.
            while (onlineOfThisPhase(http.get("/v1/nodes")) < nodes && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            double ready = DispatcherBench.seconds(t0);
            List<Double> answered = new ArrayList<>();
            List<String> states = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int i = 1; i <= fanOuts; i++) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("id", "pfo-" + UUID.randomUUID());
                body.put("nodes", sims.names());
                body.put("argv", List.of(DispatcherBench.TRUE));
                body.put("maxConcurrency", "100%");
                body.put("maxErrors", "100%");
                long cpu0 = CpuAccount.processCpuNanos(p.pid());
                long t1 = System.nanoTime();
                JsonNode view = http.post("/v1/commands?details=false&wait=" + Math.max(1, options.phaseTimeout().toSeconds()), body)
                        .get(options.phaseTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
                answered.add(DispatcherBench.seconds(t1));
                states.add(view.path("state").asText());
                cpu.add(perItemMs(CpuAccount.processCpuNanos(p.pid()) - cpu0, nodes));
                progress.accept("dispatcher process: fan-out " + i + " of " + fanOuts + " answered after " + answered.get(i - 1)
                        + " s (" + view.path("state").asText() + ", " + view.path("counts") + "), " + cpu.get(i - 1)
                        + " ms CPU per invocation");
            }
            List<String> commandNodes = sims.names().subList(0, Math.min(options.throughputNodes(), nodes));
            long cpu0 = CpuAccount.processCpuNanos(p.pid());
            long t1 = System.nanoTime();
            long failed = http.postCommands(commandNodes, commands, options.window(), deadline).notDone();
            double seconds = DispatcherBench.seconds(t1);
            double rate = Math.round((commands - failed) / seconds);
            double commandCpu = perItemMs(CpuAccount.processCpuNanos(p.pid()) - cpu0, commands);
            progress.accept("dispatcher process: " + commands + " commands through HTTP at " + rate + "/s, " + commandCpu
                    + " ms CPU per command" + (failed > 0 ? ", " + failed + " failed" : ""));
            return new Report(options.dispatcherJvmText(), nodes, ready, answered, states, cpu, commands, commandNodes.size(), rate, commandCpu, failed,
                    RssPhase.rssMiB(p.pid(), "VmRSS:"));
        }
    }

    private static double perItemMs(long nanos, int items) {
        return Math.round(nanos / 1e6 / items * 1000) / 1000.0;
    }

    private static int onlineOfThisPhase(JsonNode nodes) {
        int n = 0;
        for (JsonNode node : nodes.path("nodes")) {
            if (node.path("node").asText().startsWith(PREFIX + "-") && node.path("state").asText().equalsIgnoreCase("online")) {
                n++;
            }
        }
        return n;
    }
}
