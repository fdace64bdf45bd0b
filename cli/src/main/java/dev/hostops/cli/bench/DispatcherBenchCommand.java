package dev.hostops.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.dispatcher.Dispatcher;
import dev.hostops.dispatcher.DispatcherConfig;
import dev.hostops.dispatcher.DispatcherJvmOptions;
import dev.hostops.dispatcher.bench.BenchMosquitto;
import dev.hostops.dispatcher.bench.DispatcherBench;
import dev.hostops.dispatcher.bench.DispatcherBenchOptions;
import dev.hostops.dispatcher.bench.Latency;
import dev.hostops.dispatcher.bench.Machine;
import dev.hostops.dispatcher.ledger.CommandView;
import dev.hostops.dispatcher.ledger.StateTimes;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostops bench dispatcher}: the dispatcher with simulated nodes ({@link DispatcherBench}:
 * correlated commands per second, fan-out to thousands of nodes, RSS with commands in flight,
 * broker and ledger floors), then the API round trip of a trivial command with {@code wait}
 * against a real node agent, with curl as an agent's exec tool would run it.
 */
@Command(name = "dispatcher", mixinStandardHelpOptions = true,
        description = {"The dispatcher with simulated nodes (no process spawned; one MQTT connection each, answering at once): "
                        + "correlated commands/s, one command fanned out to thousands of nodes, RSS with commands in flight; "
                        + "then curl POST /v1/commands?wait against a real node agent. Beside broker and ledger floors.",
                "Starts its own mosquitto (needs `mosquitto` on the PATH) with set_tcp_nodelay. Linux."},
        footer = {"", "Example:", "  hostops bench dispatcher --json > report.json"})
public final class DispatcherBenchCommand implements Callable<Integer> {
    static final String NODE = "bench-dispatcher-agent";

    @Option(names = "--commands", defaultValue = "20000", description = "Commands in the throughput phase (default ${DEFAULT-VALUE}).") int commands;
    @Option(names = "--warmup", defaultValue = "50000", description = "Commands sent the same way, unmeasured, before the throughput and broker-correlation phases, so they measure a warm dispatcher: the JIT is still compiling after 10,000 (default ${DEFAULT-VALUE}; 0 measures from a cold JVM).") int warmup;
    @Option(names = "--nodes", defaultValue = "100", description = "Simulated nodes they are spread over (default ${DEFAULT-VALUE}).") int nodes;
    @Option(names = "--window", defaultValue = "256", description = "HTTP submissions outstanding at once (default ${DEFAULT-VALUE}).") int window;
    @Option(names = "--fan-out", defaultValue = "5000", description = "Simulated nodes one command goes to; 0 skips (default ${DEFAULT-VALUE}).") int fanOut;
    @Option(names = "--fan-out-warmup", defaultValue = "3", description = "Fan-outs to the same nodes before the measured one, unmeasured but for the first (reported as fanOutFirst): the JIT compiles the fan-out's own code during the first (default ${DEFAULT-VALUE}).") int fanOutWarmup;
    @Option(names = "--in-flight", defaultValue = "10000", description = "Unanswered commands for the RSS figure; 0 skips (default ${DEFAULT-VALUE}).") int inFlight;
    @Option(names = "--no-running-state", description = "Simulated nodes send only the result, no RUNNING state.") boolean noRunning;
    @Option(names = "--dispatcher-jvm", paramLabel = "OPTIONS", description = "JVM options of the dispatcher processes the RSS and dispatcher-process phases start (default: those `hostops dispatcher run` uses; `defaults` for the JVM's own).") String dispatcherJvm;
    @Option(names = "--round-trips", defaultValue = "300", description = "curl round trips against the real agent; 0 skips that phase (default ${DEFAULT-VALUE}).") int roundTrips;
    @Option(names = "--timeout-seconds", defaultValue = "120", description = "Each phase stops after this (default ${DEFAULT-VALUE}).") int timeoutSeconds;
    @Option(names = "--json", description = "JSON report on stdout (the default output too).") boolean json;

    /**
     * The API round trip against a real agent, beside what it is made of.
     *
     * @param curlWait      {@code curl POST /v1/commands?wait=30}, a new curl process each time, until the result
     * @param curlWaitTimed the same requests as curl itself times them ({@code -w %{time_total}}): the
     *                      round trip without starting curl
     * @param httpWarmWait  the same POST from a warm in-process HTTP client (no process start)
     * @param curlHealthz   {@code curl GET /healthz}: what starting curl and one HTTP exchange cost
     * @param curlStart     {@code curl -V}: starting curl and nothing else, the floor under any curl figure
     * @param spawnTrue     starting and reaping {@code /usr/bin/true} from Java, what the agent does for the command
     * @param warmSegmentsP50Ms where the warm round trip's time goes, median of each step, from the
     *                      ledger's state times of those commands (node and dispatcher share this
     *                      machine's clock; the wire carries milliseconds): "request→queued" (HTTP
     *                      in, before the ledger write), "queued→delivered" (ledger commit, audit,
     *                      outbox, publish, broker, the agent's durable receipt), "delivered→running",
     *                      "running→started", "started→finished" (the process), "finished→answer"
     *                      (the agent's result record and publish, broker, the dispatcher's commit,
     *                      the waiting request woken and answered)
     */
    public record ApiRoundTrip(String broker, Latency curlWait, Latency curlWaitTimed, Latency httpWarmWait, Latency curlHealthz,
                               Latency curlStart, Latency spawnTrue, Map<String, Double> warmSegmentsP50Ms) {}

    /** The whole run; {@code realAgent} is null with {@code --round-trips 0}. */
    public record Report(DispatcherBench.Report simulated, ApiRoundTrip realAgent, String loadAverageAtEnd) {}

    private List<String> dispatcherJvmOptions() {
        if (dispatcherJvm == null || dispatcherJvm.isBlank()) {
            return DispatcherJvmOptions.RECOMMENDED;
        }
        return dispatcherJvm.trim().equals("defaults") ? List.of() : Arrays.asList(dispatcherJvm.trim().split("\\s+"));
    }

    @Override
    public Integer call() throws Exception {
        if (roundTrips < 0) {
            throw new IllegalArgumentException("--round-trips must be 0 (skip the real agent) or more");
        }
        DispatcherBenchOptions options = new DispatcherBenchOptions(commands, warmup, nodes, window, fanOut, fanOutWarmup, inFlight, !noRunning,
                Duration.ofSeconds(timeoutSeconds),
                dispatcherJvmOptions());
        DispatcherBench.Report simulated = new DispatcherBench(options, Reports::progress).run();
        ApiRoundTrip real = roundTrips > 0 ? realAgent() : null;
        Reports.print(new Report(simulated, real, Machine.current().loadAverage()));
        return 0;
    }

    private ApiRoundTrip realAgent() throws Exception {
        Path dir = Files.createTempDirectory("hostops-bench-dispatcher-agent");
        String token = "bench-" + UUID.randomUUID();
        Path tokens = dir.resolve("tokens.yaml");
        Files.writeString(tokens, "tokens:\n  - name: bench\n    token: \"" + token + "\"\n    roles: [admin]\n");
        String tru = Files.exists(Path.of("/usr/bin/true")) ? "/usr/bin/true" : "/bin/true";
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "security: allowlist\nask: off\nallow:\n  - path: \"" + tru + "\"\n");
        ApiRoundTrip result;
        try (BenchMosquitto mosquitto = BenchMosquitto.start(dir.resolve("mosquitto"));
             Dispatcher dispatcher = new Dispatcher(DispatcherConfig.builder().broker(mosquitto.url())
                     .clientId("bench-dispatcher-" + UUID.randomUUID().toString().substring(0, 8))
                     .dataDir(dir.resolve("dispatcher")).http("127.0.0.1:0").tokens(tokens).build());
             NodeAgent agent = new NodeAgent(new NodeConfigLoader().set("broker", mosquitto.url()).set("node", NODE)
                     .set("policy", policy.toString()).set("dataDir", dir.resolve("node").toString()).build())) {
            dispatcher.start();
            agent.start();
            String url = "http://127.0.0.1:" + dispatcher.httpPort();
            String body = "{\"node\":\"" + NODE + "\",\"argv\":[\"" + tru + "\"]}";
            Reports.progress("real agent: warm HTTP POST /v1/commands?wait=30 x" + roundTrips);
            List<Mark> marks = new ArrayList<>();
            Latency warm = warmHttp(url, token, body, marks);
            Map<String, Double> segments = segments(dispatcher, marks);
            Reports.progress("real agent: warm round trip, median per step: " + segments);
            Reports.progress("real agent: warm HTTP p50 " + warm.p50Ms() + " ms; curl POST /v1/commands?wait=30 x" + roundTrips);
            Runs curl = time(List.of("curl", "-sf", "-o", "/dev/null", "-w", "%{time_total}\\n", "-X", "POST",
                    "-H", "Authorization: Bearer " + token, "-H", "Content-Type: application/json", "-d", body,
                    url + "/v1/commands?wait=30"));
            Reports.progress("real agent: curl p50 " + curl.wall().p50Ms() + " ms (as curl times the request: " + curl.printed().p50Ms()
                    + " ms); floors: curl GET /healthz, curl -V, spawn " + tru);
            Latency healthz = time(List.of("curl", "-sf", "-o", "/dev/null", url + "/healthz")).wall();
            Latency curlStart = time(List.of("curl", "-V")).wall();
            Latency spawn = time(List.of(tru)).wall();
            result = new ApiRoundTrip("mosquitto (started by the bench, set_tcp_nodelay true)", curl.wall(), curl.printed(), warm, healthz,
                    curlStart, spawn, segments);
        }
        DispatcherBench.deleteTree(dir); // kept when the run failed: the logs are there
        return result;
    }

    /** Median milliseconds between consecutive known points of each command's life (see {@link ApiRoundTrip}). */
    private static Map<String, Double> segments(Dispatcher dispatcher, List<Mark> marks) {
        String[] names = {"request", "queued", "delivered", "running", "started", "finished", "answer"};
        Map<String, List<Long>> micros = new LinkedHashMap<>();
        for (Mark m : marks) {
            StateTimes t = dispatcher.ledger().command(m.id()).map(CommandView::times).orElse(null);
            if (t == null) {
                continue;
            }
            Instant[] points = {m.start(), t.queued(), t.delivered(), t.running(), t.started(), t.finished(), m.end()};
            int last = 0;
            for (int i = 1; i < points.length; i++) {
                if (points[i] == null) {
                    continue;
                }
                micros.computeIfAbsent(names[last] + "→" + names[i], k -> new ArrayList<>())
                        .add(Duration.between(points[last], points[i]).toNanos() / 1_000);
                last = i;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        micros.forEach((k, v) -> {
            v.sort(Long::compare);
            out.put(k, v.get(v.size() / 2) / 1_000.0);
        });
        return out;
    }

    /** One warm round trip: the command it made, when the request left and when its answer was read. */
    private record Mark(String id, Instant start, Instant end) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private Latency warmHttp(String url, String token, String body, List<Mark> marks) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/v1/commands?wait=30")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Histogram h = Latency.histogram();
        for (int i = 0; i < roundTrips + 50; i++) {
            Instant start = Instant.now();
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            long dt = System.nanoTime() - t0;
            Instant end = Instant.now();
            if (r.statusCode() != 200 || !r.body().contains("\"SUCCEEDED\"")) {
                throw new IllegalStateException("the bench command did not succeed: " + r.statusCode() + " " + r.body());
            }
            if (i >= 50) {
                h.recordValue(dt);
                marks.add(new Mark(JSON.readTree(r.body()).path("id").asText(), start, end));
            }
        }
        return Latency.of(h);
    }

    /**
     * Runs the command {@code roundTrips} times (after 20 warm-up runs), each to a zero exit. Returns
     * the wall time of each run and, when the command prints one number per run (curl's
     * {@code -w %{time_total}}, in seconds), those numbers too.
     */
    private Runs time(List<String> command) throws Exception {
        Histogram wall = Latency.histogram();
        Histogram reported = Latency.histogram();
        for (int i = 0; i < roundTrips + 20; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            int code = p.waitFor();
            long dt = System.nanoTime() - t0;
            if (code != 0) {
                throw new IllegalStateException(command.get(0) + " exited with " + code);
            }
            if (i >= 20) {
                wall.recordValue(dt);
                secondsPrinted(out).ifPresent(s -> reported.recordValue(Math.round(s * 1e9)));
            }
        }
        return new Runs(Latency.of(wall), reported.getTotalCount() == 0 ? null : Latency.of(reported));
    }

    /** A command's runs: their wall time, and the times they printed (null when they printed none). */
    private record Runs(Latency wall, Latency printed) {}

    /** The number a run printed alone on its output ({@code 0.004321}), if it printed one. */
    private static Optional<Double> secondsPrinted(byte[] out) {
        String s = new String(out, StandardCharsets.UTF_8).trim();
        try {
            return s.isEmpty() ? Optional.empty() : Optional.of(Double.parseDouble(s));
        } catch (NumberFormatException notANumber) {
            return Optional.empty(); // curl -V prints its version, not a time
        }
    }
}
