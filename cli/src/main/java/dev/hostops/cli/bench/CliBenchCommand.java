package dev.hostops.cli.bench;

import dev.hostops.cli.Jars;
import dev.hostops.broker.embedded.EmbeddedBroker;
import dev.hostops.cli.client.ApiClient;
import dev.hostops.dispatcher.Dispatcher;
import dev.hostops.dispatcher.DispatcherConfig;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeConfigLoader;
import dev.hostops.broker.bench.MachineInfo;
import dev.hostops.node.bench.Stats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostops bench cli}: a cold {@code hostops exec --wait -- true}, the whole process, against a
 * running dispatcher and agent; beside the cold start of the same jar doing nothing
 * ({@code --version}), an HTTP round trip of the same command from a warm client, and the same
 * round trip with {@code curl} (a new process each time, as an agent's exec tool would run it).
 */
@Command(name = "cli", mixinStandardHelpOptions = true,
        description = "Cold `hostops exec --wait -- true` (whole process) against a running dispatcher and agent, beside its floors.",
        footer = {"", "Example:", "  hostops bench cli --json"})
public final class CliBenchCommand implements Callable<Integer> {
    static final String NODE = "bench-cli";

    @Option(names = "--count", defaultValue = "30", description = "Cold runs per figure (default ${DEFAULT-VALUE}).") int count;
    @Option(names = "--http-count", defaultValue = "500", description = "Warm HTTP round trips (default ${DEFAULT-VALUE}).") int httpCount;
    @Option(names = "--json", description = "JSON report on stdout (the default output too).") boolean json;

    /** The figures. */
    public record Report(MachineInfo machine, String jvmOptions, Stats versionColdStart, Stats execColdNoCds,
                         Stats execCold, Stats httpWarm, Stats curl) {}

    @Override
    public Integer call() throws Exception {
        Path jar = Jars.running().orElse(null);
        if (jar == null) {
            System.err.println("hostops bench cli: run it from the packaged jar (./hostops bench cli)");
            return 2;
        }
        Path dir = Files.createTempDirectory("hostops-bench-cli");
        Path tokens = dir.resolve("tokens.yaml");
        String token = "bench-" + Long.toHexString(System.nanoTime()) + "-token-0123456789abcdef";
        Files.writeString(tokens, "tokens:\n  - name: bench\n    token: \"" + token + "\"\n    roles: [admin]\n");
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "security: allowlist\nask: off\nallow:\n  - path: \"/usr/bin/true\"\n  - path: \"/bin/true\"\n");
        EmbeddedBroker broker = EmbeddedBroker.inDirectory(dir.resolve("broker"));
        broker.start();
        try (Dispatcher dispatcher = new Dispatcher(DispatcherConfig.builder().broker(broker.url().toString())
                     .dataDir(dir.resolve("dispatcher")).http("127.0.0.1:0").tokens(tokens).build());
             NodeAgent agent = new NodeAgent(new NodeConfigLoader().set("broker", broker.url().toString()).set("node", NODE)
                     .set("policy", policy.toString()).set("dataDir", dir.resolve("node").toString()).build())) {
            dispatcher.start();
            agent.start();
            String url = "http://127.0.0.1:" + dispatcher.httpPort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> client = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off");
            Path cds = dir.resolve("client.jsa");
            String tru = Files.exists(Path.of("/usr/bin/true")) ? "/usr/bin/true" : "/bin/true";
            List<String> exec = List.of("-jar", jar.toString(), "exec", "--node", NODE, "--wait", "--", tru);
            Map<String, String> env = Map.of("HOSTOPS_URL", url, "HOSTOPS_TOKEN", token);

            Reports.progress("warm-up and class-data-sharing archive");
            run(concat(List.of(java), client, List.of("-XX:ArchiveClassesAtExit=" + cds), exec), env);
            List<String> withCds = concat(List.of(java), client, List.of("-XX:SharedArchiveFile=" + cds));
            Reports.progress("cold `hostops --version` x" + count);
            Stats version = time(concat(withCds, List.of("-jar", jar.toString(), "--version")), env);
            Reports.progress("cold `hostops exec --wait -- true` without CDS x" + count);
            Stats noCds = time(concat(List.of(java), client, exec), env);
            Reports.progress("cold `hostops exec --wait -- true` x" + count);
            Stats cold = time(concat(withCds, exec), env);
            Reports.progress("warm HTTP POST /v1/commands?wait x" + httpCount);
            Stats http = http(new ApiClient(url, token), tru);
            Stats curl = curl(url, token, tru);
            Reports.print(new Report(MachineInfo.detect(), String.join(" ", client), version, noCds, cold, http, curl));
            return 0;
        } finally {
            broker.stop();
        }
    }

    private Stats time(List<String> command, Map<String, String> env) throws Exception {
        Histogram h = Stats.histogram();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            run(command, env);
            h.recordValue(System.nanoTime() - t0);
        }
        return Stats.of(h);
    }

    private Stats http(ApiClient api, String tru) throws Exception {
        Histogram h = Stats.histogram();
        for (int i = 0; i < httpCount + 50; i++) {
            long t0 = System.nanoTime();
            var c = api.post("/v1/commands?wait=30", Map.of("node", NODE, "argv", List.of(tru)));
            long dt = System.nanoTime() - t0;
            if (!"SUCCEEDED".equals(c.path("status").asText())) {
                throw new IllegalStateException("bench command ended " + c.path("status").asText());
            }
            if (i >= 50) {
                h.recordValue(dt);
            }
        }
        return Stats.of(h);
    }

    private Stats curl(String url, String token, String tru) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/curl"))) {
            Reports.progress("no /usr/bin/curl: curl figure skipped");
            return null;
        }
        Reports.progress("curl POST /v1/commands?wait x" + httpCount);
        List<String> cmd = List.of("/usr/bin/curl", "-sf", "-o", "/dev/null", "-H", "Authorization: Bearer " + token,
                "-H", "Content-Type: application/json", "-d", "{\"node\":\"" + NODE + "\",\"argv\":[\"" + tru + "\"]}",
                url + "/v1/commands?wait=30");
        Histogram h = Stats.histogram();
        for (int i = 0; i < httpCount; i++) {
            long t0 = System.nanoTime();
            run(cmd, Map.of());
            h.recordValue(System.nanoTime() - t0);
        }
        return Stats.of(h);
    }

    private static void run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(Math.max(0, command.size() - 6), command.size()))
                    + " exited with " + code);
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }
}
