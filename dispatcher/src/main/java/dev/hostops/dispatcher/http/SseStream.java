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
    /**
     * Bytes written and not yet taken by the client before it counts as not keeping up (it is then
     * disconnected). Pages of stored chunks wait for the queue to drain, so only live events fill it.
     */
    private static final int WRITE_QUEUE_BYTES = 4 * 1024 * 1024;

    private final Vertx vertx;
    private final io.vertx.core.Context context;
    private final HttpServerResponse response;
    private final DispatcherMetrics metrics;
    private final List<Runnable> onClose = new ArrayList<>();
    private final List<Runnable> waitingForDrain = new ArrayList<>();
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
        response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        response.closeHandler(v -> closeNow());
        response.exceptionHandler(e -> closeNow());
        if (response.closed()) {
            // The client left while the route read the ledger: no close handler will come.
            closeNow();
        }
    }

    /** The context every write of this stream runs on; ordered blocking reads on it run one after the other. */
    io.vertx.core.Context context() {
        return context;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Registers something to run when the stream ends (on the event loop); at once when it has
     * already ended, so a subscription made for a client that is gone does not stay.
     */
    void onClose(Runnable r) {
        if (closed) {
            r.run();
            return;
        }
        onClose.add(r);
    }

    /** Runs {@code r} on the stream's context once the client has taken what was written; never when it is gone. */
    void whenWritable(Runnable r) {
        context.runOnContext(v -> {
            if (closed) {
                return;
            }
            if (!response.writeQueueFull()) {
                r.run();
                return;
            }
            // One drain handler for all who wait (setting another would drop the first).
            waitingForDrain.add(r);
            if (waitingForDrain.size() == 1) {
                response.drainHandler(d -> {
                    response.drainHandler(null);
                    List<Runnable> waiting = List.copyOf(waitingForDrain);
                    waitingForDrain.clear();
                    if (!closed) {
                        waiting.forEach(Runnable::run);
                    }
                });
            }
        });
    }

    /**
     * Sends one event; safe from any thread. A client that does not keep up (its write queue is
     * full) is disconnected rather than buffered without bound: it reconnects and reads what it
     * missed from the GET routes.
     */
    void send(String event, Object data) {
        send(null, event, data);
    }

    /**
     * {@link #send(String, Object)} with an SSE {@code id}, which the client sends back as
     * {@code Last-Event-ID} when it reconnects. The data is encoded on the stream's context, not
     * the caller's thread (a journal hands events over under its lock).
     */
    void send(String id, String event, Object data) {
        context.runOnContext(v -> {
            if (closed) {
                return;
            }
            if (response.writeQueueFull()) {
                closeNow();
                response.reset();
                return;
            }
            response.write((id == null ? "" : "id: " + id + "\n") + "event: " + event + "\ndata: " + Views.encode(data) + "\n\n");
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
