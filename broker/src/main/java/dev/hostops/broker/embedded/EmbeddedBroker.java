package dev.hostops.broker.embedded;

import com.hivemq.embedded.EmbeddedHiveMQ;
import dev.hostops.broker.BrokerUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT 5 broker inside this JVM (HiveMQ Community Edition), for the one-machine setup and for
 * tests. Listens on loopback by default, lets every client in, keeps retained messages and
 * persistent sessions in its data directory. {@link #start()} and {@link #stop()} are idempotent
 * and may alternate; stop releases the port and a later start binds the same one.
 *
 * <p>HiveMQ logs through SLF4J (its own logging setup is turned off); set {@code com.hivemq} to
 * WARN in the application's logging configuration to keep it quiet.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final EmbeddedBrokerOptions options;
    private int port;
    private EmbeddedHiveMQ hivemq;
    private Duration lastStartDuration = Duration.ZERO;

    public EmbeddedBroker(EmbeddedBrokerOptions options) {
        this.options = options;
        this.port = options.port();
    }

    /** A broker on a free loopback port with its data in {@code dataDir}. */
    public static EmbeddedBroker inDirectory(Path dataDir) {
        return new EmbeddedBroker(EmbeddedBrokerOptions.of(dataDir));
    }

    /**
     * Starts the broker and returns when it accepts connections.
     *
     * @throws IllegalStateException if it cannot start (port taken, data directory not writable); the message says which
     */
    public synchronized void start() {
        if (hivemq != null) {
            return;
        }
        long begin = System.nanoTime();
        try {
            if (port == 0) {
                port = freePort(options.bindAddress());
            }
            Path data = options.dataDir().toAbsolutePath();
            Path conf = data.resolve("conf");
            Path extensions = data.resolve("extensions");
            Files.createDirectories(extensions);
            Files.createDirectories(data.resolve("data"));
            HiveMqConfigFile.write(conf, options.bindAddress(), port);
            EmbeddedHiveMQ broker = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(data.resolve("data"))
                    .withExtensionsFolder(extensions)
                    // Embedded HiveMQ lets every client in when no security extension is installed
                    // (the CE distribution needs its allow-all extension for that). Loopback only, by default.
                    .withoutLoggingBootstrap()
                    .build();
            try {
                broker.start().get();
            } catch (ExecutionException e) {
                closeQuietly(broker);
                throw new IllegalStateException("embedded MQTT broker could not start on " + options.bindAddress() + ":" + port
                        + " with data in " + data + ": " + why(e.getCause()), e.getCause());
            }
            hivemq = broker;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded MQTT broker could not prepare " + options.dataDir() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the embedded MQTT broker", e);
        }
        lastStartDuration = Duration.ofNanos(System.nanoTime() - begin);
        log.info("embedded MQTT broker listening on {} (started in {} ms)", url(), lastStartDuration.toMillis());
    }

    /**
     * Why HiveMQ did not start, for a person: it fails a taken port with an exception without a
     * message (and logs the reason), so the port is tried here to say so, with what to do.
     */
    private String why(Throwable cause) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(options.bindAddress(), port));
        } catch (IOException taken) {
            return "the port " + port + " on " + options.bindAddress() + " is already in use (another MQTT broker, "
                    + "or a hostops broker or quickstart still running?); stop that program or choose another port";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    /** Stops the broker and releases its port; retained messages and persistent sessions stay on disk. */
    public synchronized void stop() {
        if (hivemq == null) {
            return;
        }
        EmbeddedHiveMQ broker = hivemq;
        hivemq = null;
        closeQuietly(broker);
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return hivemq != null;
    }

    /** The port; before the first start of a port-0 broker this is 0. */
    public synchronized int port() {
        return port;
    }

    /** {@code mqtt://127.0.0.1:PORT} (the bind address, or loopback when bound to all addresses). */
    public synchronized BrokerUrl url() {
        if (port == 0) {
            throw new IllegalStateException("the embedded broker has no port until it is started");
        }
        String host = options.bindAddress().equals("0.0.0.0") || options.bindAddress().equals("::")
                ? "127.0.0.1" : options.bindAddress();
        return new BrokerUrl(BrokerUrl.Scheme.MQTT, host, port, null, null, null);
    }

    public Path dataDir() {
        return options.dataDir();
    }

    /** How long the last {@link #start()} took; for startup measurements. */
    public synchronized Duration lastStartDuration() {
        return lastStartDuration;
    }

    private static void closeQuietly(EmbeddedHiveMQ broker) {
        try {
            broker.close();
        } catch (ExecutionException | RuntimeException e) {
            log.warn("embedded MQTT broker did not stop cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort(String bindAddress) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
            return s.getLocalPort();
        }
    }
}
