package dev.hostops.broker.testing;

import dev.hostops.broker.BrokerUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * The real {@code mosquitto} binary, run by a test with the project's configuration
 * ({@code broker/config/mosquitto/mosquitto.conf}) adapted to a free loopback port, anonymous
 * access and a temporary persistence directory. It can be stopped and started again on the same
 * port, with the same persistence, for restart tests. Always {@link #close()} it.
 */
public final class MosquittoProcess implements AutoCloseable {
    /** Directives of the production file that this fixture replaces. */
    private static final List<String> REPLACED = List.of("listener", "protocol", "persistence_location",
            "password_file", "acl_file", "allow_anonymous", "log_dest", "user", "per_listener_settings");

    private final Path workDir;
    private final Path binary;
    private final int port;
    private final List<String> listenerOptions;
    private final Path logFile;
    private Process process;

    private MosquittoProcess(Path binary, Path workDir, int port, List<String> listenerOptions) {
        this.binary = binary;
        this.workDir = workDir;
        this.port = port;
        this.listenerOptions = List.copyOf(listenerOptions);
        this.logFile = workDir.resolve("mosquitto.log");
    }

    /** Starts Mosquitto in {@code workDir}; skips or fails the test (see {@link Requirement}) if there is no binary. */
    public static MosquittoProcess start(Path workDir) {
        return start(workDir, List.of());
    }

    /**
     * Like {@link #start(Path)}, with extra lines for the test listener, e.g. TLS:
     * {@code List.of("cafile /x/ca.pem", "certfile /x/server.pem", "keyfile /x/server.key")}.
     */
    public static MosquittoProcess start(Path workDir, List<String> listenerOptions) {
        Path binary = binary().orElseGet(() -> Requirement.missing("no mosquitto binary (looked at $HOSTOPS_MOSQUITTO_BIN, "
                + "/usr/sbin/mosquitto, /usr/local/sbin/mosquitto, /opt/homebrew/sbin/mosquitto)"));
        MosquittoProcess m = new MosquittoProcess(binary, workDir, freePort(), listenerOptions);
        m.start();
        return m;
    }

    public static Optional<Path> binary() {
        String env = System.getenv("HOSTOPS_MOSQUITTO_BIN");
        return Stream.of(env, "/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/opt/homebrew/sbin/mosquitto")
                .filter(s -> s != null && !s.isBlank())
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Starts it (again) and waits until it accepts connections. Idempotent. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Path data = Files.createDirectories(workDir.resolve("data"));
            Path conf = workDir.resolve("mosquitto.conf");
            Files.writeString(conf, config(data), StandardCharsets.UTF_8);
            process = new ProcessBuilder(binary.toString(), "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        Process p = process;
        Awaitility.await("mosquitto on port " + port + " (log: " + logFile + ")")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .failFast("mosquitto exited; log: " + logFile, () -> !p.isAlive())
                .until(() -> Probes.answers("127.0.0.1", port));
    }

    /** Stops it with SIGTERM, as a service manager would: it saves its persistence file first. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Freezes it with SIGSTOP: connections stay open and publishes are taken by the kernel, but
     * nothing is answered (a stalled broker). {@link #thaw()} lets it go on. POSIX only.
     */
    public synchronized void freeze() {
        signal("STOP");
    }

    public synchronized void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null) {
            throw new IllegalStateException("mosquitto is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling mosquitto", e);
        }
    }

    @Override
    public void close() {
        thawIfFrozen();
        stop();
    }

    /** A frozen process ignores SIGTERM until it is continued: close must not wait 10 s for nothing. */
    private synchronized void thawIfFrozen() {
        if (process != null && process.isAlive()) {
            signal("CONT");
        }
    }

    public int port() {
        return port;
    }

    public BrokerUrl url() {
        return new BrokerUrl(BrokerUrl.Scheme.MQTT, "127.0.0.1", port, null, null, null);
    }

    public Path logFile() {
        return logFile;
    }

    /** The production file's settings (persistence, TCP_NODELAY, queue limits...) with test listener and access. */
    private String config(Path data) throws IOException {
        StringBuilder sb = new StringBuilder("# generated by MosquittoProcess from the project's mosquitto.conf\n");
        Optional<Path> project = projectConfig();
        if (project.isPresent()) {
            sb.append(Files.readAllLines(project.get()).stream()
                    .filter(line -> !REPLACED.contains(firstWord(line)))
                    .collect(Collectors.joining("\n")));
        } else {
            sb.append("persistence true\nset_tcp_nodelay true\nmax_queued_messages 10000\n");
        }
        sb.append("\n# test settings\n")
                .append("per_listener_settings false\n")
                .append("user ").append(System.getProperty("user.name")).append('\n')
                .append("persistence_location ").append(data.toAbsolutePath()).append("/\n")
                .append("log_dest stdout\n")
                .append("allow_anonymous true\n")
                .append("listener ").append(port).append(" 127.0.0.1\n");
        listenerOptions.forEach(line -> sb.append(line).append('\n'));
        return sb.toString();
    }

    /** Found from the broker module (surefire's working directory) or from a sibling module. */
    public static Optional<Path> projectConfig() {
        return Stream.of("config/mosquitto/mosquitto.conf", "../broker/config/mosquitto/mosquitto.conf",
                        "broker/config/mosquitto/mosquitto.conf")
                .map(Path::of)
                .filter(Files::isRegularFile)
                .findFirst();
    }

    private static String firstWord(String line) {
        String t = line.strip();
        int space = t.indexOf(' ');
        return space < 0 ? t : t.substring(0, space);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
