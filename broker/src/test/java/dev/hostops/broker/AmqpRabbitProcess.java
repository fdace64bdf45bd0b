package dev.hostops.broker;

import dev.hostops.broker.testing.Requirement;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private RabbitMQ node for one test class, started from the project's own
 * {@code broker/config/rabbitmq} files (so the tests check that they load), on free ports, with
 * its data in a temp directory. It can be stopped and started again on the same port, which the
 * shared RabbitMQ on 5672 must never be. Skips (or fails with {@code HOSTOPS_REQUIRE_BROKERS=1})
 * when {@code rabbitmq-server} cannot run here.
 */
final class AmqpRabbitProcess implements AutoCloseable {
    private static final Path CONFIG = Path.of("config", "rabbitmq"); // surefire runs in the module directory
    private static final long BOOT_TIMEOUT_S = 90;

    private final Path dir;
    private final String node;
    private final int amqpPort;
    private final Map<String, String> env;
    private Process process;

    private AmqpRabbitProcess(Path dir, String node, int amqpPort, Map<String, String> env) {
        this.dir = dir;
        this.node = node;
        this.amqpPort = amqpPort;
        this.env = env;
    }

    /** Starts a node with the project's configuration and returns when it accepts connections. */
    static AmqpRabbitProcess start() throws Exception {
        return start(Map.of(), List.of());
    }

    /**
     * Like {@link #start()}, with files copied into the node's directory (readable by the broker)
     * and config lines appended; {@code ${dir}} in a line is that directory.
     */
    static AmqpRabbitProcess start(Map<String, Path> files, List<String> extraConfig) throws Exception {
        if (!onPath("rabbitmq-server") || !onPath("rabbitmqctl")) {
            Requirement.missing("rabbitmq-server is not installed here");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && !"rabbitmq".equals(System.getProperty("user.name"))) {
            Requirement.missing("rabbitmq-server runs only as root or rabbitmq");
        }
        // A second try on new ports and a new directory: the ports are picked free but can be
        // taken before the VM binds them, and a loaded CI machine has once missed the boot
        // timeout. A broken config fails both tries, and the first failure is kept beside the second.
        try {
            return startOnce(files, extraConfig, root);
        } catch (Exception | AssertionError first) {
            System.err.println("[rabbit] the private RabbitMQ did not start, trying once more: " + first);
            try {
                return startOnce(files, extraConfig, root);
            } catch (Exception | AssertionError second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    private static AmqpRabbitProcess startOnce(Map<String, Path> files, List<String> extraConfig, boolean root) throws Exception {
        int amqp = freePort();
        Path dir = Files.createTempDirectory("hostops-rabbit-" + amqp + "-");
        String node = "hostops-test-" + amqp + "@localhost";
        String conf = Files.readString(CONFIG.resolve("rabbitmq.conf"))
                .replace("listeners.tcp.default = 5672", "listeners.tcp.default = 127.0.0.1:" + amqp)
                .replace("load_definitions = /etc/rabbitmq/definitions.json", "load_definitions = " + dir.resolve("definitions.json"))
                .replace("management.tcp.port = 15672", "management.tcp.port = " + freePort())
                .replace("# prometheus.tcp.port = 15692", "prometheus.tcp.port = " + freePort());
        StringBuilder extra = new StringBuilder();
        for (String line : extraConfig) {
            extra.append(line.replace("${dir}", dir.toString())).append('\n');
        }
        Files.writeString(dir.resolve("rabbitmq.conf"), conf + "\n## added by the test\n" + extra);
        for (Map.Entry<String, Path> f : files.entrySet()) {
            Files.copy(f.getValue(), dir.resolve(f.getKey()));
        }
        Files.copy(CONFIG.resolve("definitions.json"), dir.resolve("definitions.json"));
        Files.copy(CONFIG.resolve("enabled_plugins"), dir.resolve("enabled_plugins"));
        // Our own env file: the machine's /etc/rabbitmq/rabbitmq-env.conf names the shared node.
        Files.writeString(dir.resolve("env.conf"), "NODENAME=" + node + "\nERL_EPMD_ADDRESS=127.0.0.1\n");
        if (root) {
            run(List.of("chown", "-R", "rabbitmq:rabbitmq", dir.toString()), 30); // the server drops to the rabbitmq user
        }
        Map<String, String> env = Map.of(
                "RABBITMQ_CONF_ENV_FILE", dir.resolve("env.conf").toString(),
                "RABBITMQ_NODENAME", node,
                "RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString(),
                "RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString(),
                "RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString(),
                "RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString(),
                "RABBITMQ_LOG_BASE", dir.resolve("log").toString(),
                "RABBITMQ_PID_FILE", dir.resolve("pid").toString(),
                "RABBITMQ_DIST_PORT", Integer.toString(freePort()));
        AmqpRabbitProcess p = new AmqpRabbitProcess(dir, node, amqp, env);
        try {
            p.startNode();
        } catch (Exception | AssertionError e) {
            try {
                p.close();
            } catch (IOException | RuntimeException closing) {
                e.addSuppressed(closing); // the boot failure is the news, not that stopping a node that never ran failed too
            }
            throw e;
        }
        return p;
    }

    int port() {
        return amqpPort;
    }

    /** A URL on this node, vhost {@code hostops}. */
    BrokerUrl url(String user, String password) {
        return BrokerUrl.parse("amqp://" + user + ":" + password + "@127.0.0.1:" + amqpPort + "/hostops");
    }

    /** Runs rabbitmqctl against this node; fails the test if it fails. */
    String ctl(String... args) throws Exception {
        return run(ctlCommand(args), BOOT_TIMEOUT_S + 30);
    }

    /** {@code rabbitmqctl -n <this node> args...}. */
    private List<String> ctlCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of("rabbitmqctl", "-n", node));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts the node (again) and returns when it has booted and listens. */
    void startNode() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("rabbitmq-server")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir.toFile(), "server.out")));
        pb.environment().putAll(env);
        process = pb.start();
        awaitBoot();
        if (!listens()) {
            throw new IllegalStateException("RabbitMQ booted but does not listen on " + amqpPort + "; what it printed:\n" + bootOutput());
        }
    }

    /**
     * Waits for the node to boot, and gives up at once when the server has exited (a config it
     * refuses ends the VM in a second; rabbitmqctl alone would wait out its whole timeout).
     */
    private void awaitBoot() throws Exception {
        File said = new File(dir.toFile(), "wait.out");
        // "wait" first waits for the pid file (the VM is up), then for the rabbit application.
        Process wait = new ProcessBuilder(ctlCommand("wait", dir.resolve("pid").toString(), "--timeout", Long.toString(BOOT_TIMEOUT_S)))
                .redirectErrorStream(true)
                .redirectOutput(said)
                .start();
        while (!wait.waitFor(250, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive()) {
                wait.destroyForcibly();
                throw new IllegalStateException("rabbitmq-server exited (code " + process.exitValue() + ") before " + node
                        + " booted; what it printed:\n" + bootOutput());
            }
        }
        if (wait.exitValue() != 0) {
            throw new IllegalStateException("RabbitMQ " + node + " did not boot within " + BOOT_TIMEOUT_S + " s; rabbitmqctl wait said: "
                    + Files.readString(said.toPath(), StandardCharsets.UTF_8) + "\nwhat the server printed:\n" + bootOutput());
        }
    }

    /** The end of the server's console output and of its log: the directory is deleted on close, so a failure must carry them. */
    private String bootOutput() {
        StringBuilder out = new StringBuilder();
        List<Path> files = new ArrayList<>(List.of(dir.resolve("server.out")));
        try (Stream<Path> logs = Files.list(dir.resolve("log"))) {
            logs.filter(f -> f.toString().endsWith(".log")).forEach(files::add);
        } catch (IOException e) {
            out.append("(no log directory: ").append(e.getMessage()).append(")\n");
        }
        for (Path f : files) {
            try {
                List<String> lines = new String(Files.readAllBytes(f), StandardCharsets.UTF_8).lines().toList();
                out.append("--- ").append(f.getFileName()).append(" (last 40 lines)\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append("--- ").append(f.getFileName()).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return out.toString();
    }

    /** Stops the node (the whole Erlang VM) and returns when it is gone. */
    void stopNode() throws Exception {
        if (process != null && !process.isAlive()) {
            process = null; // it never booted, or died: nothing to stop
            return;
        }
        try {
            ctl("stop");
        } finally {
            Process p = process;
            process = null;
            if (p != null && !p.waitFor(60, TimeUnit.SECONDS)) {
                // rabbitmq-server runs the VM as a child (su to the rabbitmq user): end the whole tree
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private boolean listens() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", amqpPort), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (process != null) {
                stopNode();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IOException("could not stop the private RabbitMQ " + node, e);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static String run(List<String> cmd, long timeoutS) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        for (String d : path == null ? new String[0] : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", program));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
