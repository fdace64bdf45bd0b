package dev.hostops.dispatcher.http;

import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.dispatcher.auth.Principal;
import dev.hostops.dispatcher.error.ApiError;
import dev.hostops.dispatcher.error.DispatcherException;
import dev.hostops.dispatcher.ledger.ApprovalState;
import dev.hostops.dispatcher.ledger.ApprovalView;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code /v1/nodes}, {@code /v1/approvals}, {@code /v1/anomalies}. */
final class NodeRoutes {
    private final Services s;

    NodeRoutes(Services s) {
        this.s = s;
    }

    void nodes(RoutingContext ctx) {
        Principal p = AuthHandler.principal(ctx);
        Handlers.blocking(ctx, () -> s.ledger().nodes().stream().filter(n -> p.sees(n.node())).toList(),
                list -> Responses.json(ctx, 200, Map.of("nodes", list)));
    }

    void node(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Principal p = AuthHandler.principal(ctx);
        Handlers.blocking(ctx, () -> s.ledger().node(id).filter(n -> p.sees(n.node()))
                        .orElseThrow(() -> DispatcherException.notFound("no node '" + id + "' has been seen")),
                n -> Responses.json(ctx, 200, n));
    }

    void approvals(RoutingContext ctx) {
        String state = Handlers.param(ctx, "state");
        ApprovalState filter = null;
        if (state != null && !state.equalsIgnoreCase("all")) { // all, as no state: every request
            try {
                filter = ApprovalState.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new DispatcherException(ApiError.INVALID_PARAMETER,
                        "state must be pending, allowed, denied, unanswered or all, not '" + state + "'");
            }
        }
        ApprovalState f = filter;
        Principal p = AuthHandler.principal(ctx);
        Handlers.blocking(ctx, () -> {
            List<ApprovalView> out = new ArrayList<>();
            for (ApprovalState st : f == null ? ApprovalState.values() : new ApprovalState[] {f}) {
                s.ledger().approvals(st).stream().filter(a -> p.sees(a.node())).forEach(out::add);
            }
            return out;
        }, list -> Responses.json(ctx, 200, Map.of("approvals", list)));
    }

    void decide(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Principal p = AuthHandler.principal(ctx);
        String text = CommandRoutes.optionalText(ctx, "decision");
        if (text == null) {
            throw new DispatcherException(ApiError.MISSING_FIELD, "decision is required: allow-once, allow-always or deny");
        }
        ApprovalDecision.Decision decision;
        try {
            decision = ApprovalDecision.Decision.fromWire(text);
        } catch (IllegalArgumentException e) {
            throw DispatcherException.invalid(e.getMessage());
        }
        String reason = CommandRoutes.optionalText(ctx, "reason");
        Handlers.blocking(ctx, () -> s.control().decide(id, decision, p.name(), reason,
                node -> p.requireNode(node, "answer approval requests")), v -> Responses.json(ctx, 200, v));
    }

    void anomalies(RoutingContext ctx) {
        int limit = Handlers.intParam(ctx, "limit", 100, 1, 10_000);
        Principal p = AuthHandler.principal(ctx);
        Handlers.blocking(ctx, () -> s.ledger().anomalies(limit).stream().filter(a -> p.sees(a.node())).toList(),
                list -> Responses.json(ctx, 200, Map.of("anomalies", list)));
    }
}
