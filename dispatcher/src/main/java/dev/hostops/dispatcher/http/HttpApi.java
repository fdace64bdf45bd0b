package dev.hostops.dispatcher.http;

import dev.hostops.broker.ConnectionState;
import dev.hostops.dispatcher.auth.Role;
import dev.hostops.dispatcher.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's HTTP API (see docs/API.md). Every route but {@code /healthz} and
 * {@code /readyz} needs a bearer token with the route's role. Errors are
 * {@code {"code": ..., "message": ...}} with the code's status; bad input is a 4xx, never a 500.
 */
public final class HttpApi {
    /** The longest an answer may take beyond the wait= the caller asked for. */
    public static final java.time.Duration ANSWER_TIMEOUT = java.time.Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** The routing context key of the failure the request's connection reported (see connectionFailed). */
    private static final String CONNECTION_FAILURE = "hostops.connectionFailure";

    private final Vertx vertx;
    private final Services s;
    private HttpServer server;

    public HttpApi(Vertx vertx, Services services) {
        this.vertx = vertx;
        this.s = services;
    }

    /** Binds the configured host and port; completes with the actual port. */
    public Future<Integer> start() {
        server = vertx.createHttpServer(new HttpServerOptions()
                .setHost(s.config().httpHost())
                .setPort(s.config().httpPort())
                // curl -d sends JSON as a form by default; the form decoder then refuses a body over its own
                // limit (a few KiB) before the JSON is read. Any body the size limit lets in must reach it.
                .setMaxFormAttributeSize((int) Math.min(Integer.MAX_VALUE, s.config().maxBodyBytes()))
                .setTcpNoDelay(true));
        return server.requestHandler(router()).invalidRequestHandler(HttpApi::invalidRequest)
                .listen().map(HttpServer::actualPort);
    }

    /**
     * A request the HTTP decoder refused before any route saw it still gets the JSON error every
     * other answer has (Vert.x's default answers with an empty body); then the connection closes,
     * since after bad framing nothing more on it can be trusted.
     */
    private static void invalidRequest(io.vertx.core.http.HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        String text = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        ApiError error = ApiError.MALFORMED_REQUEST;
        // Not the decoder's own text: it quotes the header it refused, and that may be an Authorization
        // header with a token in it (one bad character after the token is enough).
        String message = "the HTTP request could not be read: bad framing, or a header line HTTP does not allow"
                + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")");
        if (cause instanceof io.netty.handler.codec.TooLongFrameException) {
            if (text.startsWith("An HTTP line is larger than")) {
                error = ApiError.URI_TOO_LONG;
                message = "the request line is too long: " + text;
            } else if (text.startsWith("HTTP header is larger than")) {
                error = ApiError.HEADERS_TOO_LARGE;
                message = "the request headers are too large: " + text;
            }
        }
        String body = "{\"code\":\"" + error.name() + "\",\"message\":" + quote(message) + "}";
        request.response().setStatusCode(error.httpStatus()).putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close").end(body)
                .onComplete(done -> request.connection().close());
    }

    private static String quote(String s) {
        return io.vertx.core.json.Json.encode(s);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    Router router() {
        Router r = Router.router(vertx);
        CommandRoutes commands = new CommandRoutes(s);
        StreamRoutes streams = new StreamRoutes(s);
        NodeRoutes nodes = new NodeRoutes(s);

        r.route().handler(this::count);
        // The connection failing while this request is read (broken chunked framing, ...) is answered for it.
        r.route().handler(ctx -> {
            ctx.request().connection().exceptionHandler(t -> connectionFailed(ctx, t));
            ctx.next();
        });
        // A query string with a bad escape (%zz) makes every getParam throw; refuse it once, as bad input.
        r.route().handler(ctx -> {
            try {
                ctx.request().params();
            } catch (IllegalArgumentException e) {
                Responses.error(ctx, ApiError.INVALID_PARAMETER, "the query string is not valid percent-encoding");
                return;
            }
            ctx.next();
        });
        // Every answer but a stream ends in bounded time: ANSWER_TIMEOUT, plus the wait= asked for.
        r.route().handler(ctx -> {
            if (isStream(ctx)) {
                ctx.next();
            } else {
                TimeoutHandler.create(ANSWER_TIMEOUT.toMillis() + requestedWaitMillis(ctx), 503).handle(ctx);
            }
        });
        // HEAD too: load balancers and curl -I ask with it (the GET answer's headers, no body: Responses.json)
        r.route("/healthz").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> Responses.json(ctx, 200, Map.of("status", "up")));
        r.route("/readyz").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::ready);

        BodyHandler body = BodyHandler.create(false).setBodyLimit(s.config().maxBodyBytes());
        // The body is read after the token check (on a second route: Vert.x wants a body handler
        // first on its route), so an anonymous client cannot make us buffer it.
        post(r, "/v1/commands", Role.SUBMIT, body, commands::submit);
        r.get("/v1/commands").handler(auth(Role.READ)).handler(commands::list);
        r.get("/v1/commands/:id").handler(auth(Role.READ)).handler(commands::get);
        r.get("/v1/commands/:id/logs").handler(auth(Role.READ)).handler(streams::logs);
        post(r, "/v1/commands/:id/cancel", Role.SUBMIT, body, commands::cancel);
        r.get("/v1/requests/:id").handler(auth(Role.READ)).handler(commands::request);
        r.get("/v1/nodes").handler(auth(Role.READ)).handler(nodes::nodes);
        r.get("/v1/nodes/:id").handler(auth(Role.READ)).handler(nodes::node);
        r.get("/v1/approvals").handler(auth(Role.READ)).handler(nodes::approvals);
        post(r, "/v1/approvals/:id", Role.APPROVE, body, nodes::decide);
        r.get("/v1/anomalies").handler(auth(Role.READ)).handler(nodes::anomalies);
        r.get("/v1/events").handler(auth(Role.READ)).handler(streams::events);
        r.get("/metrics").handler(auth(Role.READ)).handler(ctx -> {
            // Fleet-wide totals: a token limited to some nodes would learn about the others.
            AuthHandler.principal(ctx).requireEveryNode("read the dispatcher's metrics");
            ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(s.prometheus().scrape());
        });

        r.route().failureHandler(this::failure);
        r.errorHandler(404, ctx -> Responses.error(ctx, ApiError.NOT_FOUND, "no route " + ctx.request().method() + " " + ctx.request().path()));
        List<Route> routes = List.copyOf(r.getRoutes());
        r.errorHandler(405, ctx -> methodNotAllowed(ctx, routes));
        r.errorHandler(413, ctx -> Responses.error(ctx, ApiError.BODY_TOO_LARGE, "the body is larger than " + s.config().maxBodyBytes() + " bytes"));
        r.errorHandler(500, this::failure);
        return r;
    }

    /**
     * A 405 with the {@code Allow} header HTTP asks for: the methods of the routes whose path matches.
     * Vert.x web adds it only to its own empty 405, not when an error handler answers.
     */
    private static void methodNotAllowed(RoutingContext ctx, List<Route> routes) {
        String path = ctx.request().path();
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            if (route.getPath() != null && route.methods() != null && matches(route.getPath(), path)) {
                route.methods().forEach(m -> allowed.add(m.name()));
            }
        }
        if (!allowed.isEmpty()) {
            ctx.response().putHeader("Allow", String.join(", ", allowed));
        }
        Responses.error(ctx, ApiError.METHOD_NOT_ALLOWED, ctx.request().method() + " is not allowed on " + path
                + (allowed.isEmpty() ? "" : "; it takes " + String.join(", ", allowed)));
    }

    /** A route template ({@code /v1/commands/:id}) matches the path, a {@code :param} any one segment; a trailing slash aside, as Vert.x routes. */
    private static boolean matches(String template, String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String[] want = template.split("/", -1);
        String[] got = p.split("/", -1);
        if (want.length != got.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            boolean param = want[i].startsWith(":") && !got[i].isEmpty();
            if (!param && !want[i].equals(got[i])) {
                return false;
            }
        }
        return true;
    }

    private void post(Router r, String path, Role role, BodyHandler body, Handler<RoutingContext> handler) {
        r.post(path).handler(auth(role));
        r.post(path).handler(body).handler(handler);
    }

    /**
     * The connection failed while this request was read: its framing broke after the headers (a chunk
     * size that is not hexadecimal, ...), or the socket did. Vert.x closes the connection as soon as its
     * handlers return, dropping what was written but not yet flushed: an answer from the route (this
     * failure reaches it next, through the body handler) would never leave, so the 400 is written here,
     * unless an answer was begun, and the connection closed through Vert.x, which flushes first;
     * {@link #failure} then lets the route's failure go (it was a NumberFormatException, taken for a bug:
     * two ERROR lines and no answer). One DEBUG line, without the decoder's text (like
     * {@link #invalidRequest}'s answer, it could quote the request): a malformed request is no fault of ours.
     */
    private static void connectionFailed(RoutingContext ctx, Throwable t) {
        ctx.put(CONNECTION_FAILURE, t);
        HttpServerResponse response = ctx.response();
        if (!response.headWritten() && !response.ended() && !response.closed()) {
            LOG.debug("{} {}: the request could not be read ({}); answered 400 and closed the connection",
                    ctx.request().method(), ctx.normalizedPath(), t.getClass().getName());
            response.putHeader("Connection", "close");
            Responses.error(ctx, ApiError.MALFORMED_REQUEST, "the HTTP request could not be read: its body's framing is broken ("
                    + t.getClass().getSimpleName() + ")");
        }
        ctx.request().connection().close();
    }

    /** The failure is the one the connection reported (the body handler passes on a DecoderException's cause). */
    private static boolean reportedByTheConnection(RoutingContext ctx, Throwable t) {
        Throwable reported = ctx.get(CONNECTION_FAILURE);
        return t != null && reported != null && (t == reported || t == reported.getCause());
    }

    private Handler<RoutingContext> auth(Role role) {
        return new AuthHandler(s.tokens(), role);
    }

    private void failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (reportedByTheConnection(ctx, t) || t instanceof io.vertx.core.http.HttpClosedException) {
            return; // the connection failed or closed while the body was read: answered by connectionFailed, or nobody to answer
        }
        if (t instanceof io.netty.handler.codec.DecoderException) {
            // the body handler decodes form and multipart bodies itself and fails on bad ones: bad input
            Responses.error(ctx, ApiError.MALFORMED_BODY, "the body could not be read as "
                    + ctx.request().getHeader("Content-Type") + "; send JSON (Content-Type: application/json)");
            return;
        }
        if (t != null) {
            Handlers.fail(ctx, t);
            return;
        }
        switch (ctx.statusCode()) {
            case 413 -> Responses.error(ctx, ApiError.BODY_TOO_LARGE, "the body is larger than " + s.config().maxBodyBytes() + " bytes");
            case 404 -> Responses.error(ctx, ApiError.NOT_FOUND, "not found");
            case 405 -> Responses.error(ctx, ApiError.METHOD_NOT_ALLOWED, "method not allowed");
            case 400 -> Responses.error(ctx, ApiError.MALFORMED_BODY, "the request could not be read");
            case 503 -> Responses.error(ctx, ApiError.UNAVAILABLE, "the dispatcher could not answer in time; retry later");
            default -> Responses.error(ctx, ApiError.INTERNAL, "unexpected error (status " + ctx.statusCode() + ")");
        }
    }

    /** The wait= of the request, within 0 and maxWait (a bad value is refused later by the route). */
    private long requestedWaitMillis(RoutingContext ctx) {
        String w = ctx.request().getParam("wait");
        try {
            long seconds = w == null ? 0 : Long.parseLong(w.trim());
            return Math.max(0, Math.min(seconds, s.config().maxWait().toSeconds())) * 1000;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isStream(RoutingContext ctx) {
        String path = ctx.request().path();
        // follow= as the logs route reads it (Handlers.booleanParam); a bad value is not a stream, the route refuses it
        return path.equals("/v1/events") || (path.endsWith("/logs") && "true".equalsIgnoreCase(ctx.request().getParam("follow")));
    }

    private void ready(RoutingContext ctx) {
        ConnectionState broker = s.transport().state();
        ctx.vertx().<String>executeBlocking(() -> {
            s.ledger().ping();
            return "ok";
        }, false).onComplete(ar -> {
            Map<String, Object> body = new LinkedHashMap<>();
            boolean ok = broker == ConnectionState.CONNECTED && ar.succeeded();
            body.put("status", ok ? "ready" : "not ready");
            body.put("broker", broker.name());
            if (s.transport() instanceof dev.hostops.dispatcher.internal.RetryingTransport rt && rt.lastError() != null) {
                body.put("brokerError", rt.lastError());
            }
            body.put("ledger", ar.succeeded() ? "ok" : String.valueOf(ar.cause().getMessage()));
            body.put("publishBacklog", s.commands().backlogSize());
            Responses.json(ctx, ok ? 200 : 503, body);
        });
    }

    /** Counts requests by route template and status once the response is written. */
    private void count(RoutingContext ctx) {
        ctx.addEndHandler(v -> {
            String route = ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "other" : ctx.currentRoute().getPath();
            s.metrics().httpRequest(route, ctx.response().getStatusCode());
        });
        ctx.next();
    }
}
