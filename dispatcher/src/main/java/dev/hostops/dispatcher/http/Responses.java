package dev.hostops.dispatcher.http;

import dev.hostops.dispatcher.error.ApiError;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/** Writing JSON answers and {@code {code, message}} errors. */
final class Responses {
    private Responses() {}

    static void json(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        String json = Views.encode(body);
        HttpServerResponse response = ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8");
        if (ctx.request().method() == HttpMethod.HEAD) {
            // The headers, Content-Length included, without the body. Vert.x drops a HEAD answer's body over
            // HTTP/1.1 (and its Content-Length with it), but sends it over HTTP/2 (h2c, as Java's client asks).
            response.putHeader("Content-Length", String.valueOf(json.getBytes(StandardCharsets.UTF_8).length)).end();
            return;
        }
        response.end(json);
    }

    static void error(RoutingContext ctx, ApiError code, String message) {
        if (ctx.response().ended() || ctx.response().closed() || ctx.response().headWritten()) {
            if (!ctx.response().ended() && !ctx.response().closed()) {
                ctx.response().end();
            }
            return;
        }
        if (code == ApiError.UNAUTHORIZED) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"hostops\"");
        }
        json(ctx, code.httpStatus(), new ErrorBody(code.name(), message));
    }

    /** The error body: a stable code and a sentence for a person. */
    record ErrorBody(String code, String message) {}
}
