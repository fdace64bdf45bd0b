package dev.hostops.dispatcher.http;

import dev.hostops.dispatcher.metrics.DispatcherMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A server-sent-event response. Writes happen on the request's event loop; {@link #send} may be
 * called from any thread. A comment line every 15 s keeps proxies from closing an idle stream.
 * Close actions (unsubscribe) run once when the client goes away or the stream ends.
 */
final class SseStream {
    private static final long HEARTBEAT_MS = 15_000;

    private final Vertx vertx;
    private final io.vertx.core.Context context;
    private final HttpServerResponse response;
    private final DispatcherMetrics metrics;
    private final List<Runnable> onClose = new ArrayList<>();
    private final long heartbeat;
    private boolean closed;

    SseStream(Vertx vertx, HttpServerResponse response, DispatcherMetrics metrics) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.response = response;
        this.metrics = metrics;
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        response.write(": hostops\n\n");
        metrics.sseOpened();
        heartbeat = vertx.setPeriodic(HEARTBEAT_MS, t -> {
            if (!closed) {
                response.write(": keep-alive\n\n");
            }
        });
        response.closeHandler(v -> closeNow());
        response.exceptionHandler(e -> closeNow());
    }

    /** Registers something to run when the stream ends (on the event loop). */
    void onClose(Runnable r) {
        onClose.add(r);
    }

    /**
     * Sends one event; safe from any thread. A client that does not keep up (its write queue is
     * full) is disconnected rather than buffered without bound: it reconnects and reads what it
     * missed from the GET routes.
     */
    void send(String event, Object data) {
        String json = Views.encode(data);
        context.runOnContext(v -> {
            if (closed) {
                return;
            }
            if (response.writeQueueFull()) {
                closeNow();
                response.reset();
                return;
            }
            response.write("event: " + event + "\ndata: " + json + "\n\n");
        });
    }

    /** Ends the stream after the events sent so far. */
    void end() {
        context.runOnContext(v -> {
            if (!closed) {
                closeNow();
                response.end();
            }
        });
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        vertx.cancelTimer(heartbeat);
        metrics.sseClosed();
        for (Runnable r : onClose) {
            try {
                r.run();
            } catch (RuntimeException ignored) {
                // unsubscribing must not fail the close
            }
        }
    }
}
