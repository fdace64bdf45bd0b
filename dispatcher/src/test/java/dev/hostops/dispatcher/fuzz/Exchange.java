package dev.hostops.dispatcher.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a {@link HostileRequest} with the JDK client, bounded by {@link #LIMIT} for the headers and
 * again for the body. A request the JDK client refuses to build (a bad URI, a method or header it
 * does not allow) goes over a raw socket instead, so every generated request reaches the server.
 */
final class Exchange implements AutoCloseable {
    /** Longer than any answer may take; reaching it is a hang, a failure. */
    static final Duration LIMIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(LIMIT).build();
    private final int port;
    int sentRaw;

    Exchange(int port) {
        this.port = port;
    }

    Outcome send(HostileRequest r) throws Exception {
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + r.path())).timeout(LIMIT)
                    .method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(r.body()));
            for (Map.Entry<String, String> h : r.headers()) {
                b.header(h.getKey(), h.getValue());
            }
            request = b.build();
        } catch (IllegalArgumentException clientRefused) {
            sentRaw++;
            return RawHttp.exchange(port, RawHttp.request(r.method(), r.path(), r.headers(), r.body()));
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new TimeoutException("no answer within " + LIMIT);
        }
        String ct = response.headers().firstValue("Content-Type").orElse("");
        if (ct.startsWith("text/event-stream")) {
            response.body().close();
            return new Outcome(response.statusCode(), ct, new byte[0], true);
        }
        CompletableFuture<byte[]> body = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = response.body()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            return new Outcome(response.statusCode(), ct, body.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS), false);
        } finally {
            response.body().close();
        }
    }

    @Override
    public void close() {
        // the JDK 17 client has no close(); its threads end when it is unreachable
    }
}
