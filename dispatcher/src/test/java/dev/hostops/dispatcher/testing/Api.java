package dev.hostops.dispatcher.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** A small HTTP client for the dispatcher's API, as curl would use it. */
public final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A response: status, parsed JSON body (null when the body is not JSON), headers. */
    public record Reply(int status, JsonNode body, String raw, java.net.http.HttpHeaders headers) {
        /** The header's first value, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public String code() {
            return body == null ? null : body.path("code").asText(null);
        }

        public String message() {
            return body == null ? null : body.path("message").asText(null);
        }
    }

    public Reply get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    public Reply post(String path, String token, String body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Any method, without a body (HEAD, DELETE, PUT, ...). */
    public Reply send(String method, String path, String token) {
        return send(request(path, token).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    public Reply postBytes(String path, String token, byte[] body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Reply send(HttpRequest req) {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            try {
                body = r.body().isEmpty() ? null : JSON.readTree(r.body());
            } catch (IOException notJson) {
                // metrics and such
            }
            return new Reply(r.statusCode(), body, r.body(), r.headers());
        } catch (IOException e) {
            throw new IllegalStateException(req.method() + " " + req.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One server-sent event; {@code id} is null when the server sent none. */
    public record SseEvent(String event, JsonNode data, String id) {}

    /** An open SSE stream collecting events; {@link #done()} completes when the server ends it. */
    public final class Sse implements AutoCloseable {
        public final List<SseEvent> events = new CopyOnWriteArrayList<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private volatile int status;

        private Sse(String path, String token, String lastEventId) {
            HttpRequest.Builder b = request(path, token).header("Accept", "text/event-stream");
            if (lastEventId != null) {
                b.header("Last-Event-ID", lastEventId);
            }
            response = http.sendAsync(b.GET().build(), HttpResponse.BodyHandlers.ofLines());
            // Async: a response already complete would otherwise be read here, on the caller's thread, to its end.
            response.thenAcceptAsync(r -> {
                status = r.statusCode();
                String[] event = {null, null};
                try (Stream<String> lines = r.body()) {
                    lines.forEach(line -> {
                        if (line.startsWith("id: ")) {
                            event[1] = line.substring(4);
                        } else if (line.startsWith("event: ")) {
                            event[0] = line.substring(7);
                        } else if (line.startsWith("data: ")) {
                            JsonNode data;
                            try {
                                data = JSON.readTree(line.substring(6));
                            } catch (IOException e) {
                                data = null;
                            }
                            events.add(new SseEvent(event[0], data, event[1]));
                            event[1] = null; // an id belongs to one event
                        }
                    });
                } catch (RuntimeException closed) {
                    // the test closed the stream
                }
                done.complete(null);
            }).exceptionally(t -> {
                done.complete(null);
                return null;
            });
        }

        public int status() {
            return status;
        }

        public boolean started() {
            return response.isDone();
        }

        public CompletableFuture<Void> done() {
            return done;
        }

        public List<SseEvent> named(String name) {
            return events.stream().filter(e -> name.equals(e.event())).toList();
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }

    public Sse sse(String path, String token) {
        return new Sse(path, token, null);
    }

    /** An SSE stream resumed after {@code lastEventId}, as a reconnecting EventSource asks. */
    public Sse sse(String path, String token, String lastEventId) {
        return new Sse(path, token, lastEventId);
    }
}
