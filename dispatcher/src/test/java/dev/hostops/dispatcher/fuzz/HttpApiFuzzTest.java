package dev.hostops.dispatcher.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.broker.testing.MosquittoProcess;
import dev.hostops.dispatcher.testing.Api;
import dev.hostops.dispatcher.testing.Harness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A real dispatcher (Mosquitto, SQLite ledger, tokens file) under a bounded stream of hostile HTTP
 * requests from a fixed seed ({@code -Dhostops.fuzz.seed=N} to change it, {@code
 * -Dhostops.fuzz.count=N} for more). Every answer must come within {@link Exchange#LIMIT}, never be a
 * 5xx other than a deliberate 503, and every error must be JSON {@code {code, message}}. After it
 * the dispatcher is healthy and a valid submit still works.
 */
class HttpApiFuzzTest {
    private static final long SEED = Long.getLong("hostops.fuzz.seed", 20261122L);
    private static final int COUNT = Integer.getInteger("hostops.fuzz.count", 3000);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static MosquittoProcess mosquitto;
    static Harness harness;

    @BeforeAll
    static void start() {
        mosquitto = MosquittoProcess.start(dir.resolve("broker"));
        harness = new Harness(dir.resolve("dispatcher"), mosquitto.url(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    void generatedHostileRequestsGetBoundedJsonAnswersAndNeverA5xx() throws Exception {
        System.out.println("[HttpApiFuzzTest] seed " + SEED + ", " + COUNT + " requests");
        RequestGenerator generator = new RequestGenerator(SEED);
        List<String> problems = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        try (Exchange exchange = new Exchange(harness.dispatcher().httpPort())) {
            for (int i = 0; i < COUNT; i++) {
                HostileRequest r = generator.next(i);
                try {
                    Outcome o = exchange.send(r);
                    statuses.merge(o.status(), 1, Integer::sum);
                    check(r.method(), o).ifPresent(p -> problems.add(r.describe() + " -> " + p));
                } catch (Exception e) {
                    problems.add(r.describe() + " -> " + e);
                }
            }
            System.out.println("[HttpApiFuzzTest] statuses " + statuses + ", sent raw " + exchange.sentRaw);
        }
        assertThat(problems).as("seed " + SEED + ": requests answered badly").isEmpty();
        assertStillServing();
    }

    /** Found by the fuzz: a bad escape in the query made every route a 500, /readyz included. */
    @Test
    void aBadPercentEscapeInTheQueryIsA400() throws Exception {
        for (String path : List.of("/readyz?%zz=1", "/v1/commands?%zz=1", "/v1/commands?wait=%G1")) {
            Outcome o = RawHttp.exchange(harness.dispatcher().httpPort(), RawHttp.request("GET", path,
                    List.of(Map.entry("Authorization", "Bearer " + Harness.READ)), null));
            assertThat(o.status()).as(path + ": " + o.text()).isEqualTo(400);
            assertThat(JSON.readTree(o.body()).path("code").asText()).isEqualTo("INVALID_PARAMETER");
        }
    }

    /** Found by the fuzz: a multipart body the form decoder could not read was a 500. */
    @Test
    void aBodyTheFormDecoderCannotReadIsA400() throws Exception {
        byte[] body = ("{\"node\":\"x\",\"argv\":" + "[".repeat(30_000) + "]".repeat(30_000) + "}")
                .getBytes(StandardCharsets.UTF_8);
        Outcome o = RawHttp.exchange(harness.dispatcher().httpPort(), RawHttp.request("POST", "/v1/commands",
                List.of(Map.entry("Authorization", "Bearer " + Harness.SUBMIT),
                        Map.entry("Content-Type", "multipart/form-data; boundary=x")), body));
        assertThat(o.status()).as(o.text()).isEqualTo(400);
        assertThat(JSON.readTree(o.body()).path("code").asText()).isEqualTo("MALFORMED_BODY");
    }

    /**
     * From the API audit: a chunk-size line that is not hexadecimal closed the connection without an
     * answer and logged two ERROR lines. The headers were read, so the server can still answer: a 400,
     * with at most one quiet log line that does not quote the request (its Authorization header).
     */
    @Test
    void brokenChunkedFramingIsA400AndAtMostOneQuietLogLine() throws Exception {
        String request = "POST /v1/commands HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Harness.SUBMIT + "\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n";
        List<ILoggingEvent> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                logged.add(e);
            }
        };
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        // WARN and above from anywhere; DEBUG from the HTTP API and Vert.x's connections counts too (not
        // Vert.x web's trace of every failed route, which every 400 a handler throws writes at DEBUG)
        List<Logger> http = List.of((Logger) LoggerFactory.getLogger("dev.hostops.dispatcher.http"),
                (Logger) LoggerFactory.getLogger("io.vertx.core"));
        List<Level> levels = http.stream().map(Logger::getLevel).toList();
        appender.start();
        root.addAppender(appender);
        http.forEach(l -> l.setLevel(Level.DEBUG));
        Outcome o;
        try {
            o = RawHttp.exchange(harness.dispatcher().httpPort(), request.getBytes(StandardCharsets.ISO_8859_1));
            Thread.sleep(300);   // a log line written after the connection closed still counts
        } finally {
            for (int i = 0; i < http.size(); i++) {
                http.get(i).setLevel(levels.get(i));
            }
            root.detachAppender(appender);
        }
        assertThat(o.status()).as(o.text()).isEqualTo(400);
        assertThat(JSON.readTree(o.body()).path("code").asText()).isEqualTo("MALFORMED_REQUEST");
        assertThat(o.text()).doesNotContain(Harness.SUBMIT);
        List<String> lines = logged.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage()))
                .toList();
        System.out.println("[HttpApiFuzzTest] broken chunked framing logged " + lines);
        assertThat(lines).as("log lines").hasSizeLessThanOrEqualTo(1).noneMatch(l -> l.startsWith("ERROR"))
                .noneMatch(l -> l.contains(Harness.SUBMIT));

        // an answer begun before the framing broke (no valid token: 401) is the one the client gets
        Outcome refused = RawHttp.exchange(harness.dispatcher().httpPort(),
                request.replace(Harness.SUBMIT, Harness.UNKNOWN).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(refused.status()).as(refused.text()).isEqualTo(401);
        assertThat(JSON.readTree(refused.body()).path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertStillServing();
    }

    @Test
    void requestsOnlyARawSocketCanSendAreRefusedCleanlyWithJsonErrors() throws Exception {
        assertThat(rawProblems()).as("raw requests answered badly").isEmpty();
        assertStillServing();
    }

    /** Sends each raw case; every answer must be acceptable (JSON errors, no 5xx but 503). */
    private static List<String> rawProblems() throws Exception {
        int port = harness.dispatcher().httpPort();
        String auth = "Authorization: Bearer " + Harness.SUBMIT + "\r\n";
        String body = Bodies.validSubmit(new java.util.Random(SEED));
        List<String> cases = List.of(
                // CL.TE and TE.CL: a second request hidden in the body must not run with the first one's token
                "POST /v1/commands HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nContent-Length: 4\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /v1/commands HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "POST /v1/commands HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
                        + "8\r\nSMUGGLED\r\n0\r\n\r\n",
                "POST /v1/commands HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 2\r\nContent-Length: 40\r\nConnection: close\r\n\r\n{}",
                "POST /v1/commands HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: chunked, identity\r\nConnection: close\r\n\r\n0\r\n\r\n",
                "POST /v1/commands HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: xchunked\r\nConnection: close\r\n\r\n",
                "POST /v1/commands HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
                "POST /v1/commands HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: -1\r\nConnection: close\r\n\r\n",
                "POST /v1/commands HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 99999999999999999999\r\nConnection: close\r\n\r\n",
                "POST /v1/commands HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 1000\r\nConnection: close\r\n\r\n" + body,
                // bare LF, obsolete line folding, header name with a space, NUL in a header
                "GET /v1/commands HTTP/1.1\nHost: x\n" + auth.replace("\r\n", "\n") + "Connection: close\n\n",
                "GET /v1/commands HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n " + Harness.READ + "\r\nConnection: close\r\n\r\n",
                "GET /v1/commands HTTP/1.1\r\nHost: x\r\nAuthorization : Bearer " + Harness.READ + "\r\nConnection: close\r\n\r\n",
                "GET /v1/commands HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u0000" + Harness.READ + "\r\nConnection: close\r\n\r\n",
                "GET /v1/commands HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Harness.READ + "\u0001\r\nConnection: close\r\n\r\n",
                // huge header, huge request line, many headers, odd versions and request targets
                "GET /v1/commands HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + "t".repeat(100_000) + "\r\nConnection: close\r\n\r\n",
                "GET /v1/commands/" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /v1/commands HTTP/1.1\r\nHost: x\r\n" + "X-A: b\r\n".repeat(5000) + "Connection: close\r\n\r\n",
                "GET /healthz HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /healthz\r\n\r\n",
                "GET http://evil.example/v1/commands HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /v1/commands/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n",
                "\r\n\r\n\r\n",
                "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003");   // a TLS ClientHello on plain HTTP
        List<String> problems = new ArrayList<>();
        for (String c : cases) {
            String name = c.length() > 120 ? c.substring(0, 120) + "..." : c;
            try {
                List<Outcome> answers = RawHttp.exchangeAll(port, c.getBytes(StandardCharsets.ISO_8859_1));
                for (Outcome o : answers) {
                    if (isUnsupportedVersionRefusal(o)) {
                        continue;   // Vert.x answers this before any handler of ours runs
                    }
                    check("GET", o).ifPresent(p -> problems.add(name.replace("\r\n", "\\r\\n") + " -> " + p));
                    if (o.text().contains(Harness.READ) || o.text().contains(Harness.SUBMIT)) {
                        problems.add(name.replace("\r\n", "\\r\\n") + " -> the answer repeats a token: " + clip(o.text()));
                    }
                    if (o.status() == 200 && c.contains("GET /v1/commands HTTP/1.1\r\nHost: x\r\nConnection: close")) {
                        problems.add(name + " -> a smuggled request without a token was answered 200");
                    }
                }
            } catch (Exception e) {
                problems.add(name.replace("\r\n", "\\r\\n") + " -> " + e);
            }
        }
        return problems;
    }

    /**
     * Vert.x answers an HTTP version it does not speak (HTTP/9.9) with an empty 501 before the
     * invalid-request handler runs; every other decoder refusal gets our JSON error.
     */
    private static boolean isUnsupportedVersionRefusal(Outcome o) {
        return o.body().length == 0 && o.status() == 501;
    }

    /** Empty when the answer is acceptable, else what is wrong with it. */
    static java.util.Optional<String> check(String method, Outcome o) {
        if (o.status() >= 500 && o.status() != 503) {
            return java.util.Optional.of("status " + o.status() + ": " + clip(o.text()));
        }
        if (o.status() < 400 || method.equals("HEAD")) {
            return java.util.Optional.empty();
        }
        try {
            JsonNode body = JSON.readTree(o.body());
            if (body == null || !body.isObject() || !body.path("code").isTextual() || body.path("message").asText("").isBlank()) {
                return java.util.Optional.of("status " + o.status() + " without {code, message}: " + clip(o.text()));
            }
            if (o.status() == 503 && !body.path("code").asText().equals("UNAVAILABLE")) {
                return java.util.Optional.of("503 that is not UNAVAILABLE: " + clip(o.text()));
            }
            return java.util.Optional.empty();
        } catch (Exception notJson) {
            return java.util.Optional.of("status " + o.status() + " with a body that is not JSON (" + o.contentType() + "): "
                    + clip(o.text()));
        }
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static void assertStillServing() {
        Api api = harness.api();
        assertThat(api.get("/healthz", null).status()).isEqualTo(200);
        Api.Reply submit = api.post("/v1/commands", Harness.SUBMIT,
                "{\"node\":\"after-fuzz\",\"argv\":[\"/usr/bin/echo\",\"still serving\"]}");
        assertThat(submit.status()).as(submit.raw()).isEqualTo(202);
        assertThat(submit.body().path("status").asText()).isEqualTo("QUEUED");
    }
}
