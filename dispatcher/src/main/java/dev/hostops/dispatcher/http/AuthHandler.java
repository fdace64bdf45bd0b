package dev.hostops.dispatcher.http;

import dev.hostops.dispatcher.auth.Principal;
import dev.hostops.dispatcher.auth.Role;
import dev.hostops.dispatcher.auth.TokenStore;
import dev.hostops.dispatcher.error.ApiError;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Bearer-token check for one route: 401 without a valid token, 403 without the role. The token
 * itself is never logged or echoed; the principal's name is put in the context for the handlers.
 */
final class AuthHandler implements Handler<RoutingContext> {
    static final String PRINCIPAL = "hostops.principal";

    private final TokenStore tokens;
    private final Role role;

    AuthHandler(TokenStore tokens, Role role) {
        this.tokens = tokens;
        this.role = role;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        String token = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        }
        Principal p = token == null ? null : tokens.authenticate(token).orElse(null);
        if (p == null) {
            Responses.error(ctx, ApiError.UNAUTHORIZED, header == null
                    ? "this route needs 'Authorization: Bearer <token>'"
                    : "the bearer token is not valid");
            return;
        }
        if (!p.has(role)) {
            Responses.error(ctx, ApiError.FORBIDDEN, "token '" + p.name() + "' does not have the " + role.wire() + " role");
            return;
        }
        ctx.put(PRINCIPAL, p);
        ctx.next();
    }

    static Principal principal(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
    }
}
