package dev.hostops.dispatcher.http;

import dev.hostops.dispatcher.events.Event;
import dev.hostops.dispatcher.events.EventBus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Completes when a matching event about one id is published or the wait ends, whichever is first;
 * never fails. Subscribe before doing the work whose outcome you wait for, so that a fast event is
 * not missed.
 */
final class Waiter {
    private Waiter() {}

    static Future<Void> await(Vertx vertx, EventBus events, String id, Predicate<Event> match, long millis) {
        Context context = vertx.getOrCreateContext();
        Promise<Void> promise = Promise.promise();
        AtomicBoolean done = new AtomicBoolean();
        AutoCloseable[] sub = new AutoCloseable[1];
        long[] timer = new long[1];
        Runnable finish = () -> {
            if (done.compareAndSet(false, true)) {
                try {
                    sub[0].close();
                } catch (Exception ignored) {
                    // removing a listener cannot fail in a way that matters here
                }
                context.runOnContext(v -> {
                    vertx.cancelTimer(timer[0]);
                    promise.complete();
                });
            }
        };
        sub[0] = events.subscribe(id, match, e -> finish.run());
        timer[0] = vertx.setTimer(Math.max(1, millis), t -> finish.run());
        return promise.future();
    }
}
