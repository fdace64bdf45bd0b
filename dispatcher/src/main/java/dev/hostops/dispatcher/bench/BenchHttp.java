package dev.hostops.dispatcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The bench's HTTP client of the dispatcher API (JDK client, keep-alive, bearer token). */
final class BenchHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    BenchHttp(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** POSTs a JSON body; the future fails unless the answer is 2xx. */
    CompletableFuture<JsonNode> post(String path, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return client.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": "
                        + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            try {
                return JSON.readTree(r.body());
            } catch (Exception e) {
                throw new IllegalStateException("POST " + path + " answered something that is not JSON", e);
            }
        });
    }

    /**
     * What {@link #postCommands} left undone.
     *
     * @param failed     POSTs answered with an error
     * @param unanswered POSTs not answered by the deadline, or never sent
     */
    record Posted(long failed, long unanswered) {
        long notDone() {
            return failed + unanswered;
        }
    }

    /**
     * POSTs {@code n} trivial commands ({@link DispatcherBench#TRUE}) to {@code nodes} round-robin,
     * at most {@code window} unanswered at once, and returns once every one was answered or the
     * deadline ({@link System#nanoTime()}) passed.
     */
    Posted postCommands(List<String> nodes, int n, int window, long deadline) throws InterruptedException {
        Semaphore outstanding = new Semaphore(window);
        CountDownLatch answered = new CountDownLatch(n);
        AtomicLong failed = new AtomicLong();
        for (int i = 0; i < n; i++) {
            if (!outstanding.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("node", nodes.get(i % nodes.size()));
            body.put("argv", List.of(DispatcherBench.TRUE));
            post("/v1/commands", body).whenComplete((r, err) -> {
                outstanding.release();
                if (err != null) {
                    failed.incrementAndGet();
                }
                answered.countDown();
            });
        }
        answered.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return new Posted(failed.get(), answered.getCount());
    }

    JsonNode get(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<byte[]> r = client.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }
}
