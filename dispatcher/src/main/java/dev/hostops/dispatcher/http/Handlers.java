package dev.hostops.dispatcher.http;

import dev.hostops.contracts.internal.Failures;
import dev.hostops.dispatcher.error.ApiError;
import dev.hostops.dispatcher.error.DispatcherException;
import dev.hostops.dispatcher.ledger.LedgerException;
import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs blocking work (ledger, broker acks) off the event loop and maps every failure to an API error once. */
final class Handlers {
    private static final Logger LOG = LoggerFactory.getLogger(Handlers.class);

    private Handlers() {}

    static <T> void blocking(RoutingContext ctx, Callable<T> work, Consumer<T> onSuccess) {
        ctx.vertx().<T>executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                try {
                    onSuccess.accept(ar.result());
                } catch (Throwable e) {
                    fail(ctx, e);
                }
            } else {
                fail(ctx, ar.cause());
            }
        });
    }

    /**
     * Starts asynchronous work off the event loop (starting it may wait for room in the ledger's
     * queue, which is how a flood of submissions is held back), releases the worker thread at
     * once, and answers on the request's context when the work's future completes.
     */
    static <T> void async(RoutingContext ctx, Callable<CompletableFuture<T>> start, Consumer<T> onSuccess) {
        Context context = ctx.vertx().getOrCreateContext();
        ctx.vertx().<CompletableFuture<T>>executeBlocking(start, false).onComplete(ar -> {
            if (ar.failed()) {
                fail(ctx, ar.cause());
                return;
            }
            ar.result().whenComplete((value, failure) -> context.runOnContext(x -> {
                if (failure != null) {
                    fail(ctx, Failures.unwrap(failure));
                    return;
                }
                try {
                    onSuccess.accept(value);
                } catch (Throwable e) {
                    fail(ctx, e);
                }
            }));
        });
    }

    /** Answers the failure; never throws, and the response always ends (a caller must never hang). */
    static void fail(RoutingContext ctx, Throwable t) {
        try {
            answer(ctx, t);
        } catch (Throwable e) {
            LOG.error("could not answer a failure on {} {}", ctx.request().method(), ctx.normalizedPath(), e);
            try {
                if (!ctx.response().ended() && !ctx.response().closed()) {
                    if (!ctx.response().headWritten()) {
                        ctx.response().setStatusCode(500);
                    }
                    ctx.response().end();
                }
            } catch (RuntimeException ignored) {
                // the connection is gone
            }
        }
    }

    private static void answer(RoutingContext ctx, Throwable t) {
        if (t instanceof DispatcherException d) {
            Responses.error(ctx, d.code(), d.getMessage());
        } else if (t instanceof LedgerException l) {
            Responses.error(ctx, ApiError.UNAVAILABLE, "the ledger is not available (" + l.reason() + "); retry later");
        } else {
            LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.normalizedPath(), t);
            Responses.error(ctx, ApiError.INTERNAL, "unexpected error: " + t.getClass().getSimpleName());
        }
    }

    static String param(RoutingContext ctx, String name) {
        String v = ctx.request().getParam(name);
        return v == null || v.isBlank() ? null : v;
    }

    /**
     * {@code true} or {@code false}, in any case (as {@code status=} and {@code state=} take their
     * names); absent or empty gives the fallback; anything else is a 400 naming the parameter, so a
     * typo such as {@code follow=yes} is not quietly read as {@code false}.
     */
    static boolean booleanParam(RoutingContext ctx, String name, boolean fallback) {
        String v = param(ctx, name);
        if (v == null) {
            return fallback;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new DispatcherException(ApiError.INVALID_PARAMETER, name + " must be true or false, not '" + v + "'");
    }

    static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
        String v = param(ctx, name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new DispatcherException(ApiError.INVALID_PARAMETER, name + " must be a whole number from " + min + " to " + max + ", not '" + v + "'");
        }
    }
}
