package dev.hostops.dispatcher.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.NodeId;
import dev.hostops.dispatcher.auth.Principal;
import dev.hostops.dispatcher.command.Submission;
import dev.hostops.dispatcher.error.ApiError;
import dev.hostops.dispatcher.error.DispatcherException;
import dev.hostops.dispatcher.events.Event;
import dev.hostops.dispatcher.events.EventKind;
import dev.hostops.dispatcher.fanout.FanOutView;
import dev.hostops.dispatcher.ledger.Anomaly;
import dev.hostops.dispatcher.ledger.CommandQuery;
import dev.hostops.dispatcher.ledger.CommandView;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** {@code /v1/commands} and {@code /v1/requests}: submit (one node or many), read, list, cancel. */
final class CommandRoutes {
    /**
     * A fan-out with wait is answered on the request's end event; this is how often it is read
     * again anyway, for an end that comes without one.
     */
    private static final long FANOUT_RECHECK_MS = 1_000;

    private final Services s;

    CommandRoutes(Services s) {
        this.s = s;
    }

    void submit(RoutingContext ctx) {
        Principal p = AuthHandler.principal(ctx);
        long waitMs = Handlers.intParam(ctx, "wait", 0, 0, (int) s.config().maxWait().toSeconds()) * 1000L;
        // Read (and a bad value refused) whatever the body turns out to be: a typo is an error even where it would not matter.
        boolean throughApprovals = approvalParam(ctx);
        boolean details = Handlers.booleanParam(ctx, "details", true);
        byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        if (body.length == 0) {
            throw new DispatcherException(ApiError.MALFORMED_BODY, "the body is empty; send a JSON object");
        }
        SubmitBody sb = SubmitParser.parse(body, p.name(), Instant.now());
        String source = "api:" + p.name();
        if (sb.single()) {
            p.requireNode(sb.exec().node(), "run commands");
            String id = sb.exec().id();
            if (s.fanOut().tracks(id)) {
                // GET /v1/commands/{id} would show this command in place of the request.
                throw new DispatcherException(ApiError.ID_CONFLICT, "id '" + id + "' is already the id of a request to many nodes; choose a new id");
            }
            // By default a wait also ends when the node asks a person: the caller should say so now.
            var done = waitMs > 0
                    ? Waiter.await(ctx.vertx(), s.events(), id,
                            e -> e.kind() == EventKind.RESULT || (!throughApprovals && asksAPerson(e)), waitMs)
                    : null;
            Handlers.async(ctx, () -> s.commands().submitAsync(sb.exec(), sb.expiresIn(), source, null), sub -> {
                CommandStatus now = sub.command().status();
                if (done == null || now.isTerminal() || (!throughApprovals && now == CommandStatus.AWAITING_APPROVAL)) {
                    respond(ctx, sub.command(), sub.published());
                } else {
                    done.onComplete(x -> Handlers.blocking(ctx, () -> s.ledger().command(id).orElse(sub.command()),
                            view -> respond(ctx, view, sub.published())));
                }
            });
        } else {
            long deadline = System.currentTimeMillis() + waitMs;
            // A request that waits is shown once, at its end: the views before only tell whether it is over.
            sb.fanOut().nodes().forEach(node -> p.requireNode(node, "run commands"));
            Handlers.blocking(ctx, () -> s.fanOut().start(sb.fanOut(), sb.expiresIn(), source, details && waitMs == 0, p.nodes()::allows), view -> {
                if (waitMs == 0) {
                    respondFanOut(ctx, view, details);
                } else {
                    awaitFanOut(ctx, view, deadline, details);
                }
            });
        }
    }

    /**
     * {@code approval=wait} (any case) keeps a {@code wait=} going while a person decides; absent or
     * empty, the wait ends at the approval request. Any other value is a 400, not the default.
     */
    private static boolean approvalParam(RoutingContext ctx) {
        String v = Handlers.param(ctx, "approval");
        if (v == null) {
            return false;
        }
        if (v.equalsIgnoreCase("wait")) {
            return true;
        }
        throw new DispatcherException(ApiError.INVALID_PARAMETER, "approval must be wait (or left out), not '" + v + "'");
    }

    /**
     * The node's approval request, not its AWAITING_APPROVAL state: an agent sends the state first,
     * so once the request is in the ledger both are, and the answer shows why and until when.
     */
    private static boolean asksAPerson(Event e) {
        return e.kind() == EventKind.APPROVAL_REQUEST;
    }

    /** The answer to a submission, {@linkplain #detailed detailed} like a single command's view. */
    private void respond(RoutingContext ctx, CommandView view, boolean published) {
        if (!askedAPerson(view) && !declaredByTheDispatcher(view)) {
            send(ctx, Views.command(view), view, published); // the usual case: no ledger read on the way out
            return;
        }
        Handlers.blocking(ctx, () -> detailed(view), n -> send(ctx, n, view, published));
    }

    /**
     * One command with what only a single command's view shows: the node's approval request, if it
     * asked one, and the node's own result if it came after the dispatcher had declared the
     * command EXPIRED or LOST ({@code lateResult}: kept as an anomaly, never applied, but the
     * outcome a person checking by hand wants to see). Reads the ledger only for such commands.
     */
    private ObjectNode detailed(CommandView c) {
        ObjectNode n = askedAPerson(c) ? Views.command(c, s.ledger().approval(c.id())) : Views.command(c);
        if (declaredByTheDispatcher(c)) {
            s.ledger().anomalies(c.id()).stream()
                    .filter(a -> a.kind() == Anomaly.Kind.RESULT_AFTER_LOST || a.kind() == Anomaly.Kind.RESULT_AFTER_EXPIRED)
                    .reduce((first, later) -> later)
                    .ifPresent(a -> n.set("lateResult", Views.lateResult(a)));
        }
        return n;
    }

    /** The node reported AWAITING_APPROVAL at some point (it does so before it sends the request). */
    private static boolean askedAPerson(CommandView view) {
        return view.status() == CommandStatus.AWAITING_APPROVAL || (view.times() != null && view.times().awaitingApproval() != null);
    }

    private static boolean declaredByTheDispatcher(CommandView view) {
        return view.status() == CommandStatus.LOST || view.status() == CommandStatus.EXPIRED;
    }

    private static void send(RoutingContext ctx, ObjectNode n, CommandView view, boolean published) {
        n.put("published", published);
        Responses.json(ctx, view.status().isTerminal() ? 200 : 202, n);
    }

    private static void respondFanOut(RoutingContext ctx, FanOutView view, boolean details) {
        Responses.json(ctx, view.done() ? 200 : 202, shown(view, details));
    }

    /** A request view as the API shows it: whole, or {@link BriefRequestView} for {@code details=false}. */
    private static Object shown(FanOutView view, boolean details) {
        return details ? view : BriefRequestView.of(view);
    }

    /**
     * Answers a fan-out once it is over (the service publishes a REQUEST event whose status is no
     * longer RUNNING) or the wait ends, looking at its statuses once per wake-up, not on a timer;
     * the view with details is read once, for the answer. The event is subscribed to before the
     * statuses are read, so an end between the two is not missed.
     *
     * @param last the request's view without details
     */
    private void awaitFanOut(RoutingContext ctx, FanOutView last, long deadline, boolean details) {
        long left = deadline - System.currentTimeMillis();
        String id = last.requestId();
        if (last.done() || left <= 0) {
            answerFanOut(ctx, last, details);
            return;
        }
        var over = Waiter.await(ctx.vertx(), s.events(), id,
                e -> e.kind() == EventKind.REQUEST && !"RUNNING".equals(e.status()), Math.min(FANOUT_RECHECK_MS, left));
        Handlers.blocking(ctx, () -> s.fanOut().view(id, false).orElse(last), view -> {
            if (view.done() || System.currentTimeMillis() >= deadline) {
                answerFanOut(ctx, view, details);
            } else {
                over.onComplete(x -> awaitFanOut(ctx, view, deadline, details));
            }
        });
    }

    /** @param brief the view without details, enough when none are asked for */
    private void answerFanOut(RoutingContext ctx, FanOutView brief, boolean details) {
        if (!details) {
            respondFanOut(ctx, brief, false);
            return;
        }
        Handlers.blocking(ctx, () -> s.fanOut().view(brief.requestId(), true).orElse(brief), view -> respondFanOut(ctx, view, true));
    }

    void get(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Principal p = AuthHandler.principal(ctx);
        boolean details = Handlers.booleanParam(ctx, "details", true);
        Handlers.blocking(ctx, () -> {
            CommandView c = s.ledger().command(id).filter(found -> p.sees(found.node())).orElse(null);
            if (c != null) {
                return (Object) detailed(c);
            }
            FanOutView view = s.fanOut().view(id, details).filter(v -> seesAll(p, v))
                    .orElseThrow(() -> DispatcherException.notFound("no command or request with id '" + id + "'"));
            return shown(view, details);
        }, body -> Responses.json(ctx, 200, body));
    }

    void request(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Principal p = AuthHandler.principal(ctx);
        boolean details = Handlers.booleanParam(ctx, "details", true);
        Handlers.blocking(ctx, () -> s.fanOut().view(id, details).filter(v -> seesAll(p, v))
                        .orElseThrow(() -> DispatcherException.notFound("no request with id '" + id + "'")),
                view -> Responses.json(ctx, 200, shown(view, details)));
    }

    /**
     * A token limited to nodes sees a request only when it sees every node the request went to
     * (its own requests always qualify: their targets were narrowed to its nodes). Otherwise the
     * request does not exist for it: a 404, so the ids of other nodes' requests are not confirmed.
     */
    private static boolean seesAll(Principal p, FanOutView view) {
        return view.invocations().stream().allMatch(i -> p.sees(i.node()));
    }

    void list(RoutingContext ctx) {
        CommandQuery q = CommandQuery.all().withLimit(Handlers.intParam(ctx, "limit", CommandQuery.DEFAULT_LIMIT, 1, CommandQuery.MAX_LIMIT));
        String node = Handlers.param(ctx, "node");
        if (node != null) {
            if (!NodeId.isValid(node)) {
                throw new DispatcherException(ApiError.INVALID_PARAMETER, "node must match [A-Za-z0-9_-]{1,64}, not '" + node + "'");
            }
            q = q.withNode(node);
        }
        String status = Handlers.param(ctx, "status");
        if (status != null) {
            try {
                q = q.withStatus(CommandStatus.valueOf(status.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new DispatcherException(ApiError.INVALID_PARAMETER, "status must be one of "
                        + java.util.Arrays.toString(CommandStatus.values()) + ", not '" + status + "'");
            }
        }
        String requestId = Handlers.param(ctx, "requestId");
        if (requestId != null) {
            q = q.withRequestId(requestId);
        }
        Principal p = AuthHandler.principal(ctx);
        if (!p.nodes().isEveryNode()) {
            // A page of the newest commands filtered afterwards would come back short; so a token
            // limited to nodes lists one node (or one request) at a time.
            if (node == null && requestId == null) {
                throw new DispatcherException(ApiError.INVALID_PARAMETER, "token '" + p.name() + "' is limited to nodes ("
                        + p.nodes() + "): list one node with ?node=, or one request with ?requestId=");
            }
            if (node != null) {
                p.requireNode(node, "read commands");
            }
        }
        CommandQuery query = q;
        Handlers.blocking(ctx, () -> s.ledger().commands(query), list -> Responses.json(ctx, 200,
                Map.of("commands", list.stream().filter(c -> p.sees(c.node())).map(Views::command).toList())));
    }

    void cancel(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        Principal p = AuthHandler.principal(ctx);
        String reason = optionalText(ctx, "reason");
        Handlers.blocking(ctx, () -> s.control().cancel(id, reason, p.name(), node -> p.requireNode(node, "cancel commands")), view -> {
            ObjectNode n = Views.command(view);
            n.put("cancelRequested", true);
            Responses.json(ctx, 202, n);
        });
    }

    /** A string field of an optional JSON body (cancel reason, approval reason). */
    static String optionalText(RoutingContext ctx, String field) {
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
            return null;
        }
        JsonNode root;
        try {
            root = Views.MAPPER.readTree(ctx.body().buffer().getBytes());
        } catch (IOException e) {
            throw new DispatcherException(ApiError.MALFORMED_BODY, Views.notJson(e));
        }
        if (root == null || !root.isObject()) {
            throw new DispatcherException(ApiError.MALFORMED_BODY, "the body must be a JSON object");
        }
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw DispatcherException.invalid(field + " must be a string");
        }
        return v.textValue();
    }
}
