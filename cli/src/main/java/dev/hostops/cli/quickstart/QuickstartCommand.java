package dev.hostops.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.embedded.EmbeddedBroker;
import dev.hostops.broker.embedded.EmbeddedBrokerOptions;
import dev.hostops.cli.client.ApiClient;
import dev.hostops.cli.client.ApiException;
import dev.hostops.cli.support.Shutdown;
import dev.hostops.dispatcher.Dispatcher;
import dev.hostops.dispatcher.DispatcherConfig;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostops quickstart}: the whole system on one machine, with nothing installed: the embedded
 * MQTT broker, the dispatcher with its ledger in a data directory, a local node agent with a safe
 * demo policy, and one demo command through all of it.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Try everything on this machine: broker, dispatcher, node agent and a demo command.",
                "Starts an embedded broker, the dispatcher and a local node agent, runs a demo command "
                        + "through them, prints how to use the API, and stays up until Ctrl-C."},
        footer = {"", "Examples:", "  ./hostops quickstart", "  ./hostops quickstart --once      # exit after the demo (0 when it worked)"})
public final class QuickstartCommand implements Callable<Integer> {
    static final String NODE = "local";

    @Option(names = "--once", description = "Exit after the demo: 0 when it succeeded, 1 otherwise.")
    boolean once;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where everything keeps its state (default ~/.hostops/quickstart).")
    Path dataDir;

    @Option(names = "--mqtt-port", defaultValue = "1883", description = "Broker port; a free one when it is taken (default ${DEFAULT-VALUE}).")
    int mqttPort;

    @Option(names = "--http-port", defaultValue = "8080", description = "API port; a free one when it is taken (default ${DEFAULT-VALUE}).")
    int httpPort;

    private final List<AutoCloseable> started = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path dir = (dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".hostops", "quickstart")).toAbsolutePath();
        Files.createDirectories(dir);
        try {
            step(1, "starting the embedded MQTT broker");
            int port = freeOr(mqttPort, "MQTT");
            EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBrokerOptions(dir.resolve("broker"), port, "127.0.0.1"));
            broker.start();
            started.add(broker::stop);
            BrokerUrl url = broker.url();
            say("broker on " + url + " (started in " + broker.lastStartDuration().toMillis() + " ms)");

            step(2, "starting the dispatcher");
            QuickstartFiles files = QuickstartFiles.prepare(dir);
            int http = freeOr(httpPort, "HTTP");
            Dispatcher dispatcher = new Dispatcher(DispatcherConfig.builder().broker(url.toString())
                    .dataDir(dir.resolve("dispatcher")).http("127.0.0.1:" + http).tokens(files.tokens()).build());
            dispatcher.start();
            started.add(dispatcher);
            String api = "http://127.0.0.1:" + dispatcher.httpPort();
            say("API on " + api + " (ledger in " + dir.resolve("dispatcher") + ")");

            step(3, "starting a node agent '" + NODE + "' with the demo policy " + files.policy());
            NodeAgent agent = new NodeAgent(new NodeConfigLoader().set("broker", url.toString()).set("node", NODE)
                    .set("policy", files.policy().toString()).set("dataDir", dir.resolve("node").toString())
                    .set("durability", "normal").label("demo", "quickstart").build());
            agent.start();
            started.add(agent);
            say("node '" + NODE + "' is online");

            step(4, "running a demo command through the broker: " + String.join(" ", files.demoArgv()));
            ApiClient client = new ApiClient(api, files.token());
            JsonNode result = client.post("/v1/commands?wait=30", Map.of("node", NODE, "argv", files.demoArgv()));
            boolean ok = "SUCCEEDED".equals(result.path("status").asText());
            printResult(result);
            printUsage(api, files);
            if (once) {
                return ok ? 0 : 1;
            }
            System.out.println();
            System.out.println("Running. Ctrl-C stops the broker, the dispatcher and the node agent.");
            Shutdown.awaitSignal(this::stopAll);
            return 0;
        } catch (ApiException e) {
            System.err.println("hostops quickstart: the demo command failed: " + e.getMessage());
            return 1;
        } finally {
            if (once) {
                stopAll();
            }
        }
    }

    private synchronized void stopAll() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("hostops quickstart: stopping failed: " + e.getMessage());
            }
        }
        started.clear();
    }

    /** The wanted port when it is free; 0 asks for any free port (tests). */
    private static int freeOr(int wanted, String what) throws IOException {
        if (wanted == 0) {
            return 0;
        }
        try (ServerSocket s = new ServerSocket(wanted, 1, InetAddress.getLoopbackAddress())) {
            return wanted;
        } catch (IOException taken) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                say(what + " port " + wanted + " is taken; using " + s.getLocalPort() + " instead");
                return s.getLocalPort();
            }
        }
    }

    private static void step(int n, String what) {
        System.out.println("[" + n + "/4] " + what + " ...");
    }

    private static void say(String what) {
        System.out.println("      " + what);
    }

    private static void printResult(JsonNode c) {
        JsonNode r = c.path("result");
        System.out.println();
        System.out.println("Result: " + c.path("status").asText() + (c.path("exitCode").isNumber() ? " (exit " + c.path("exitCode").asInt() + ")" : "")
                + (r.path("durationMs").isNumber() ? " in " + r.path("durationMs").asLong() + " ms" : ""));
        if (r.hasNonNull("resolvedExecutable")) {
            System.out.println("  ran        " + r.path("resolvedExecutable").asText() + " (policy: "
                    + r.path("policy").path("decision").asText() + " by " + r.path("policy").path("rule").asText() + ")");
        }
        if (!r.path("stdoutTail").asText().isEmpty()) {
            System.out.println("  stdout     " + r.path("stdoutTail").asText().strip().replace("\n", "\n             "));
        }
        if (!r.path("stderrTail").asText().isEmpty()) {
            System.out.println("  stderr     " + r.path("stderrTail").asText().strip().replace("\n", "\n             "));
        }
        if (c.path("error").isObject()) {
            System.out.println("  error      " + c.path("error").path("code").asText() + ": " + c.path("error").path("message").asText());
        }
    }

    private static void printUsage(String api, QuickstartFiles files) {
        String argv = String.join("\",\"", files.demoArgv());
        System.out.println();
        System.out.println("Try it yourself (token in " + files.tokens() + "):");
        System.out.println("  export HOSTOPS_URL=" + api + " HOSTOPS_TOKEN=" + files.token());
        System.out.println("  curl -s -H \"Authorization: Bearer $HOSTOPS_TOKEN\" -H 'Content-Type: application/json' \\");
        System.out.println("       -d '{\"node\":\"" + NODE + "\",\"argv\":[\"" + argv + "\"]}' \"$HOSTOPS_URL/v1/commands?wait=30\"");
        System.out.println("  ./hostops exec --node " + NODE + " --wait -- " + String.join(" ", files.demoArgv()));
        System.out.println("  ./hostops nodes");
        System.out.println("  ./hostops commands");
        System.out.println("Anything outside the demo policy asks for approval: ./hostops approvals, ./hostops approve ID allow-once");
    }
}
