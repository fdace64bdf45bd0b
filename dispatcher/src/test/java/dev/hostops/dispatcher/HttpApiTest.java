package dev.hostops.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hostops.broker.testing.MosquittoProcess;
import dev.hostops.dispatcher.testing.Api;
import dev.hostops.dispatcher.testing.Harness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auth matrix and the error answers for bad input, against a running dispatcher. */
class HttpApiTest {
    @TempDir
    static Path dir;
    static MosquittoProcess mosquitto;
    static Harness harness;
    static Api api;

    @BeforeAll
    static void start() {
        mosquitto = MosquittoProcess.start(dir.resolve("broker"));
        harness = new Harness(dir.resolve("dispatcher"), mosquitto.url(), Duration.ofSeconds(60));
        api = harness.api();
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

    record Route(String method, String path, String role) {}

    static final List<Route> ROUTES = List.of(
            new Route("POST", "/v1/commands", "submit"),
            new Route("GET", "/v1/commands", "read"),
            new Route("GET", "/v1/commands/some-id", "read"),
            new Route("GET", "/v1/commands/some-id/logs", "read"),
            new Route("POST", "/v1/commands/some-id/cancel", "submit"),
            new Route("GET", "/v1/requests/some-id", "read"),
            new Route("GET", "/v1/nodes", "read"),
            new Route("GET", "/v1/nodes/some-node", "read"),
            new Route("GET", "/v1/approvals?state=pending", "read"),
            new Route("POST", "/v1/approvals/some-id", "approve"),
            new Route("GET", "/v1/anomalies", "read"),
            new Route("GET", "/metrics", "read"));

    static final Map<String, String> TOKENS = Map.of(
            "read", Harness.READ, "submit", Harness.SUBMIT, "approve", Harness.APPROVE, "admin", Harness.ADMIN);

    @Test
    void everyRouteAnswers401WithoutAValidTokenAnd403WithoutTheRole() {
        for (Route r : ROUTES) {
            for (String token : new String[] {null, Harness.UNKNOWN}) {
                Api.Reply reply = call(r, token);
                assertThat(reply.status()).as(r + " with token " + token).isEqualTo(401);
                assertThat(reply.code()).isEqualTo("UNAUTHORIZED");
            }
            for (Map.Entry<String, String> t : TOKENS.entrySet()) {
                Api.Reply reply = call(r, t.getValue());
                boolean allowed = t.getKey().equals(r.role()) || t.getKey().equals("admin");
                if (allowed) {
                    assertThat(reply.status()).as(r + " as " + t.getKey() + ": " + reply.raw()).isNotIn(401, 403, 500);
                } else {
                    assertThat(reply.status()).as(r + " as " + t.getKey()).isEqualTo(403);
                    assertThat(reply.code()).isEqualTo("FORBIDDEN");
                    assertThat(reply.message()).contains(r.role());
                }
            }
        }
    }

    @Test
    void eventsStreamNeedsTheReadRole() {
        try (Api.Sse none = api.sse("/v1/events", null);
             Api.Sse submit = api.sse("/v1/events", Harness.SUBMIT);
             Api.Sse read = api.sse("/v1/events", Harness.READ)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> none.started() && submit.started() && read.started());
            assertThat(none.status()).isEqualTo(401);
            assertThat(submit.status()).isEqualTo(403);
            assertThat(read.status()).isEqualTo(200);
        }
    }

    /** A client that lost its stream comes back with Last-Event-ID and gets exactly what it missed. */
    @Test
    void anEventsClientThatReconnectsGetsWhatItMissed() {
        String node = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/v1/events?node=" + node;
        String submit = "{\"node\":\"" + node + "\",\"argv\":[\"true\"]}";
        String lastSeen;
        try (Api.Sse first = api.sse(path, Harness.READ)) {
            await().atMost(Duration.ofSeconds(5)).until(first::started);
            String before = api.post("/v1/commands", Harness.SUBMIT, submit).body().path("id").asText();
            await().atMost(Duration.ofSeconds(5)).until(() -> !first.named("command").isEmpty());
            Api.SseEvent seen = first.named("command").get(0);
            assertThat(seen.data().path("id").asText()).isEqualTo(before);
            assertThat(seen.id()).as("every event has an id").isNotBlank();
            lastSeen = seen.id();
        }
        List<String> missed = List.of(api.post("/v1/commands", Harness.SUBMIT, submit).body().path("id").asText(),
                api.post("/v1/commands", Harness.SUBMIT, submit).body().path("id").asText());
        try (Api.Sse back = api.sse(path, Harness.READ, lastSeen)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> back.named("command").size() >= 2);
            assertThat(back.events).extracting(e -> e.data().path("id").asText()).containsExactlyElementsOf(missed);
        }
        try (Api.Sse stale = api.sse(path + "&lastEventId=0-1", Harness.READ)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !stale.events.isEmpty());
            Api.SseEvent reset = stale.events.get(0);
            assertThat(reset.event()).isEqualTo("reset");
            assertThat(reset.data().path("reason").asText()).contains("not an event id of this dispatcher run");
            assertThat(reset.id()).as("the newest id, to go on from").isNotBlank();
        }
    }

    @Test
    void healthEndpointsAreOpen() {
        assertThat(api.get("/healthz", null).status()).isEqualTo(200);
        Api.Reply ready = api.get("/readyz", null);
        assertThat(ready.status()).as(ready.raw()).isEqualTo(200);
        assertThat(ready.body().path("broker").asText()).isEqualTo("CONNECTED");
    }

    /**
     * From the API audit: HEAD /healthz was a 405 without an Allow header. Load balancers and curl -I
     * ask with HEAD: the health endpoints answer it as GET, without the body; every 405 names what the
     * path takes.
     */
    @Test
    void healthEndpointsAnswerHeadAndEvery405SaysWhatThePathTakes() throws Exception {
        HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String path : List.of("/healthz", "/readyz")) {
            Api.Reply get = api.get(path, null);
            // Java's client asks for HTTP/2 (h2c), where Vert.x would send a HEAD answer's body; and over HTTP/1.1
            Api.Reply head = api.send("HEAD", path, null);
            assertThat(head.status()).as(path).isEqualTo(200);
            assertThat(head.raw()).as(path).isEmpty();
            assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
            assertThat(head.header("Content-Length")).as(path).isEqualTo(get.header("Content-Length"));
            HttpResponse<String> head11 = http11.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + harness.dispatcher().httpPort() + path)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(head11.statusCode()).as(path).isEqualTo(200);
            assertThat(head11.body()).as(path).isEmpty();
            assertThat(head11.headers().firstValue("Content-Length")).as(path).contains(get.header("Content-Length"));
            Api.Reply post = api.post(path, null, "{}");
            assertThat(post.status()).as(path).isEqualTo(405);
            assertThat(post.header("Allow")).as(path).isEqualTo("GET, HEAD");
        }
        Map<String, String> allowed = Map.of(
                "/v1/commands", "GET, POST",
                "/v1/commands/some-id", "GET",
                "/v1/commands/some-id/", "GET",
                "/v1/commands/some-id/cancel", "POST",
                "/v1/approvals/some-id", "POST",
                "/metrics", "GET");
        allowed.forEach((path, methods) -> {
            Api.Reply r = api.send("DELETE", path, Harness.ADMIN);
            expect(r, 405, "METHOD_NOT_ALLOWED", "DELETE");
            assertThat(r.header("Allow")).as(path).isEqualTo(methods);
        });
        // routes that need a token do not answer HEAD (it would run the read, or open a stream, for nothing)
        Api.Reply headNodes = api.send("HEAD", "/v1/nodes", Harness.READ);
        assertThat(headNodes.status()).isEqualTo(405);
        assertThat(headNodes.header("Allow")).isEqualTo("GET");
    }

    @Test
    void metricsArePrometheusText() {
        Api.Reply m = api.get("/metrics", Harness.READ);
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.raw()).contains("hostops_dispatcher_broker_connected 1.0");
    }

    @Test
    void badBodiesAre400NamingTheField() {
        expect(api.post("/v1/commands", Harness.SUBMIT, "not json"), 400, "MALFORMED_BODY", "JSON");
        expect(api.post("/v1/commands", Harness.SUBMIT, "[1,2]"), 400, "MALFORMED_BODY", "object");
        expect(api.post("/v1/commands", Harness.SUBMIT, null), 400, "MALFORMED_BODY", "empty");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"argv\":[\"x\"]}"), 400, "MISSING_FIELD", "node");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"n1\"}"), 400, "MISSING_FIELD", "argv");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"bad node!\",\"argv\":[\"x\"]}"), 400, "INVALID_FIELD", "node");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"n1\",\"argv\":\"git status\"}"), 400, "INVALID_FIELD", "argv");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"n1\",\"argv\":[]}"), 400, "INVALID_FIELD", "argv");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"n1\",\"argv\":[\"x\"],\"command\":\"x\"}"), 400, "INVALID_FIELD", "argv and command");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"n1\",\"command\":\"ls; rm -rf /\"}"), 400, "SHELL_SYNTAX", "command");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"n1\",\"argv\":[\"x\"],\"timeout\":\"10\"}"), 400, "INVALID_FIELD", "timeout");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"n1\",\"argv\":[\"x\"],\"timeoutMs\":-5}"), 400, "INVALID_FIELD", "timeoutMs");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"n1\",\"argv\":[\"x\"],\"security\":\"loose\"}"), 400, "INVALID_FIELD", "security");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"n1\",\"argv\":[\"x\"],\"expiresAt\":\"tomorrow\"}"), 400, "INVALID_FIELD", "expiresAt");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"n1\",\"argv\":[\"x\"],\"env\":{\"A\":1}}"), 400, "INVALID_FIELD", "env.A");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"host\":\"sandbox\",\"node\":\"n1\",\"command\":\"x\"}"), 400, "INVALID_FIELD", "host");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"nodes\":[\"a\",\"b c\"],\"argv\":[\"x\"]}"), 400, "INVALID_FIELD", "nodes[1]");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"nodes\":[\"a\"],\"argv\":[\"x\"],\"maxErrors\":\"ten\"}"), 400, "INVALID_FIELD", "maxErrors");
        expect(api.post("/v1/commands", Harness.SUBMIT, "{\"node\":\"a\",\"nodes\":[\"b\"],\"argv\":[\"x\"]}"), 400, "INVALID_FIELD", "exclusive");
        expect(api.post("/v1/commands?wait=abc", Harness.SUBMIT, "{\"node\":\"a\",\"argv\":[\"x\"]}"), 400, "INVALID_PARAMETER", "wait");
        expect(api.get("/v1/commands?status=bogus", Harness.READ), 400, "INVALID_PARAMETER", "status");
        expect(api.get("/v1/commands?limit=0", Harness.READ), 400, "INVALID_PARAMETER", "limit");
        expect(api.get("/v1/requests/r1?details=no", Harness.READ), 400, "INVALID_PARAMETER", "details");
        expect(api.post("/v1/approvals/x", Harness.APPROVE, "{}"), 400, "MISSING_FIELD", "decision");
        expect(api.post("/v1/approvals/x", Harness.APPROVE, "{\"decision\":\"maybe\"}"), 400, "INVALID_FIELD", "decision");
    }

    /**
     * From the API audit: {@code logs?follow=yes} was read as not following (and {@code approval=}
     * took any value as "do not wait"). A boolean parameter is true or false in any case, approval is
     * wait; anything else is a 400 naming the parameter.
     */
    @Test
    void queryParametersWithAFixedSetOfValuesRefuseTheRest() {
        String id = UUID.randomUUID().toString();
        String body = "{\"id\":\"" + id + "\",\"node\":\"offline-" + id.substring(0, 8) + "\",\"argv\":[\"git\",\"pull\"]}";
        assertThat(api.post("/v1/commands", Harness.SUBMIT, body).status()).isEqualTo(202);

        expect(api.get("/v1/commands/" + id + "/logs?follow=yes", Harness.READ), 400, "INVALID_PARAMETER", "follow");
        expect(api.get("/v1/commands/" + id + "/logs?follow=1", Harness.READ), 400, "INVALID_PARAMETER", "follow");
        expect(api.get("/v1/commands/" + id + "?details=0", Harness.READ), 400, "INVALID_PARAMETER", "details");
        expect(api.post("/v1/commands?details=maybe", Harness.SUBMIT, body), 400, "INVALID_PARAMETER", "details");
        expect(api.post("/v1/commands?wait=1&approval=later", Harness.SUBMIT, body), 400, "INVALID_PARAMETER", "approval");

        // any case; empty is the same as absent
        Api.Reply notFollowed = api.get("/v1/commands/" + id + "/logs?follow=FALSE", Harness.READ);
        assertThat(notFollowed.status()).as(notFollowed.raw()).isEqualTo(200);
        assertThat(notFollowed.body().path("chunks").isArray()).isTrue();
        assertThat(api.get("/v1/commands/" + id + "/logs?follow=", Harness.READ).status()).isEqualTo(200);
        assertThat(api.get("/v1/commands/" + id + "?details=False", Harness.READ).status()).isEqualTo(200);
        Api.Reply waited = api.post("/v1/commands?wait=1&approval=WAIT", Harness.SUBMIT, body);
        assertThat(waited.status()).as(waited.raw()).isEqualTo(202);
        try (Api.Sse followed = api.sse("/v1/commands/" + id + "/logs?follow=True", Harness.READ)) {
            await().atMost(Duration.ofSeconds(5)).until(followed::started);
            assertThat(followed.status()).isEqualTo(200);
            // a stream: it stays open while the command is queued (a JSON answer would have ended)
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !followed.done().isDone());
        }
    }

    @Test
    void oversizedBodyIs413() {
        byte[] big = ("{\"node\":\"n1\",\"argv\":[\"" + "x".repeat(70 * 1024) + "\"]}").getBytes(StandardCharsets.UTF_8);
        expect(api.postBytes("/v1/commands", Harness.SUBMIT, big), 413, "BODY_TOO_LARGE", "larger");
    }

    @Test
    void unknownThingsAre404() {
        expect(api.get("/v1/commands/" + UUID.randomUUID(), Harness.READ), 404, "NOT_FOUND", "no command");
        expect(api.get("/v1/commands/" + UUID.randomUUID() + "/logs", Harness.READ), 404, "NOT_FOUND", "no command");
        expect(api.post("/v1/commands/" + UUID.randomUUID() + "/cancel", Harness.SUBMIT, null), 404, "NOT_FOUND", "no command");
        expect(api.get("/v1/nodes/nobody", Harness.READ), 404, "NOT_FOUND", "nobody");
        expect(api.post("/v1/approvals/nothing", Harness.APPROVE, "{\"decision\":\"deny\"}"), 404, "NOT_FOUND", "approval");
        expect(api.get("/v1/nothing-here", Harness.READ), 404, "NOT_FOUND", "route");
    }

    @Test
    void reusedIdIs409OnlyWhenTheContentDiffers() {
        String id = UUID.randomUUID().toString();
        String body = "{\"id\":\"" + id + "\",\"node\":\"offline-" + id.substring(0, 8) + "\",\"argv\":[\"git\",\"pull\"]}";
        Api.Reply first = api.post("/v1/commands", Harness.SUBMIT, body);
        assertThat(first.status()).as(first.raw()).isEqualTo(202);
        assertThat(first.body().path("status").asText()).isEqualTo("QUEUED");
        Api.Reply same = api.post("/v1/commands", Harness.SUBMIT, body);
        assertThat(same.status()).as(same.raw()).isEqualTo(202);
        assertThat(same.body().path("expiresAt").asText()).isEqualTo(first.body().path("expiresAt").asText());
        expect(api.post("/v1/commands", Harness.SUBMIT, body.replace("pull", "push")), 409, "ID_CONFLICT", id);
    }

    @Test
    void aRetryWithARelativeDeadlineIsTheSameCommand() {
        String id = UUID.randomUUID().toString();
        String body = "{\"id\":\"" + id + "\",\"node\":\"offline-" + id.substring(0, 8) + "\",\"argv\":[\"git\",\"pull\"],\"expiresIn\":\"5m\"}";
        Api.Reply first = api.post("/v1/commands", Harness.SUBMIT, body);
        assertThat(first.status()).as(first.raw()).isEqualTo(202);
        Api.Reply again = api.post("/v1/commands", Harness.SUBMIT, body.replace("5m", "6m"));
        assertThat(again.status()).as(again.raw()).isEqualTo(202);
        assertThat(again.body().path("expiresAt").asText()).as("the first deadline stands").isEqualTo(first.body().path("expiresAt").asText());
        expect(api.post("/v1/commands", Harness.SUBMIT, body.replace("\"expiresIn\":\"5m\"", "\"expiresAt\":\"" + java.time.Instant.now().plusSeconds(600) + "\"")),
                409, "ID_CONFLICT", id);
    }

    private static void expect(Api.Reply r, int status, String code, String mentions) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.code()).as(r.raw()).isEqualTo(code);
        assertThat(r.message()).as(r.raw()).contains(mentions);
        assertThat(r.body().size()).isEqualTo(2);
    }

    private static Api.Reply call(Route r, String token) {
        return r.method().equals("GET") ? api.get(r.path(), token) : api.post(r.path(), token, "{}");
    }
}
