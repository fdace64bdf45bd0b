package dev.hostops.dispatcher.http;

import dev.hostops.dispatcher.error.ApiError;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON answers and {@code {code, message}} errors. */
final class Responses {
    private Responses() {}

    static void json(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(Views.encode(body));
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
