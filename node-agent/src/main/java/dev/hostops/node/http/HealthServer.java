package dev.hostops.node.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The node agent's optional local endpoints: {@code /healthz} (JSON status, 200 when the agent
 * runs and the broker is connected, else 503) and {@code /metrics} (Prometheus text). Uses the
 * JDK's built-in HTTP server so that an idle agent stays small.
 */
public final class HealthServer implements AutoCloseable {
    /** What /healthz reports. */
    public record Health(boolean healthy, String json) {}

    private final HttpServer server;

    public HealthServer(InetSocketAddress address, Supplier<Health> health, Supplier<String> metrics) throws IOException {
        server = HttpServer.create(address, 16);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hostops-node-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/healthz", ex -> {
            Health h = health.get();
            respond(ex, h.healthy() ? 200 : 503, "application/json", h.json());
        });
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        server.createContext("/", ex -> respond(ex, 404, "application/json",
                "{\"code\":\"NOT_FOUND\",\"message\":\"Try /healthz or /metrics.\"}"));
    }

    public void start() {
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
