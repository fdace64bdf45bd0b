package dev.hostops.dispatcher.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A throwaway Mosquitto for the bench, on a free loopback port, with {@code set_tcp_nodelay true}
 * (without it every small reply waits for a delayed ACK: 44 ms round trips, docs/BENCHMARKS.md)
 * and no limit on queued messages, so a burst towards the dispatcher's one connection is queued,
 * not dropped (Mosquitto's default {@code max_queued_messages} is 1000 and drops QoS 1 above it).
 * {@code max_connections} stays at Mosquitto's default, -1 (unlimited); the file-descriptor limit
 * of the process ({@code ulimit -n}) is the real limit.
 */
public final class BenchMosquitto implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private BenchMosquitto(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static BenchMosquitto start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                "set_tcp_nodelay true",
                "max_queued_messages 0",
                "max_inflight_messages 100",
                "max_connections -1",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                ""));
        Process p = new ProcessBuilder("mosquitto", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new BenchMosquitto(p, port, dir);
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroy();
                    throw new IOException("mosquitto did not start on port " + port + "; see " + dir.resolve("mosquitto.log"));
                }
                Thread.sleep(50);
            }
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "mqtt://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
