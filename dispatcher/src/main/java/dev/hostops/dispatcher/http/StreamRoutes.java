package dev.hostops.dispatcher.http;

import dev.hostops.dispatcher.auth.Principal;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.dispatcher.error.DispatcherException;
import dev.hostops.dispatcher.events.Event;
import dev.hostops.dispatcher.events.EventJournal;
import dev.hostops.dispatcher.events.EventKind;
import dev.hostops.dispatcher.ledger.CommandView;
import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Log reads and the server-sent-event streams: {@code logs?follow=true} and {@code /v1/events}. */
final class StreamRoutes {
    private static final int MAX_CHUNKS = 10_000;
    /** Chunks a follower is sent before the dispatcher waits for it to take them (at most a few MB). */
    private static final int PAGE_CHUNKS = 32;
    /** After a result, how long to wait for log chunks that travel on another topic than the result. */
    private static final long LATE_CHUNK_MS = 1_000;

    private final Services s;
    private final MessageCodec codec = MessageCodec.standard();

    StreamRoutes(Services s) {
        this.s = s;
    }

    void logs(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        long from = Handlers.intParam(ctx, "from", 0, 0, Integer.MAX_VALUE);
        if (Handlers.booleanParam(ctx, "follow", false)) {
            follow(ctx, id, from);
            return;
        }
        int limit = Handlers.intParam(ctx, "limit", MAX_CHUNKS, 1, MAX_CHUNKS);
        Principal p = AuthHandler.principal(ctx);
        Handlers.blocking(ctx, () -> {
            CommandView c = visible(p, id);
            return Map.of("id", id, "status", c.status().name(), "chunks", s.ledger().logs(id, from, limit).stream().map(codec::toTree).toList());
        }, body -> Responses.json(ctx, 200, body));
    }

    /**
     * Streams the chunks stored so far, then live ones, then a {@code result} event, then ends.
     * Live events are subscribed before the stored chunks are read, and chunks are sent in seq order
     * without repeats, so none is lost or doubled between the two. Live state changes
     * ({@code state}: DELIVERED, AWAITING_APPROVAL, RUNNING) and the node's approval request
     * ({@code approval}) come in between, so a follower can tell waiting from running.
     */
    private void follow(RoutingContext ctx, String id, long from) {
        Principal p = AuthHandler.principal(ctx);
        Handlers.blocking(ctx, () -> visible(p, id), first -> {
            SseStream sse = new SseStream(ctx.vertx(), ctx.response(), s.metrics());
            AtomicLong next = new AtomicLong(from);
            // Every read and send of this stream runs on its own context, its ledger reads one after the other:
            // vertx.runOnContext from the event bus's thread would make a new context per event, and reads on
            // different contexts ran at once and sent chunks out of seq order.
            Context streamContext = sse.context();
            AutoCloseable sub = s.events().subscribe(id, e -> e.kind() == EventKind.LOG || e.kind() == EventKind.RESULT
                            || e.kind() == EventKind.STATE || e.kind() == EventKind.APPROVAL_REQUEST,
                    e -> streamContext.runOnContext(v -> {
                        if (e.kind() == EventKind.STATE) {
                            sse.send("state", Map.of("id", id, "status", e.status(), "at", e.at().toString()));
                        } else if (e.kind() == EventKind.APPROVAL_REQUEST) {
                            sse.send("approval", e.data());
                        } else {
                            catchUp(ctx, sse, id, next, e.kind() == EventKind.RESULT);
                        }
                    }));
            sse.onClose(() -> closeQuietly(sub));
            catchUp(ctx, sse, id, next, first.status().isTerminal());
            announcePendingApproval(ctx, sse, id);
        });
    }

    /**
     * A follower that joins a command already waiting for a person gets the approval request too
     * (the live event came before it): read after subscribing, so one of the two always reaches it.
     */
    private void announcePendingApproval(RoutingContext ctx, SseStream sse, String id) {
        ctx.vertx().<Object>executeBlocking(() -> s.ledger().command(id)
                .filter(c -> c.status() == dev.hostops.contracts.CommandStatus.AWAITING_APPROVAL)
                .flatMap(c -> s.ledger().approval(id))
                .filter(a -> a.state() == dev.hostops.dispatcher.ledger.ApprovalState.PENDING)
                // the node's own message again, as the live event carries it
                .<Object>map(a -> codec.toTree(new ApprovalRequest(a.id(), a.node(), a.argv(), a.workdir(),
                        a.resolvedExecutable(), a.reason(), a.requestedBy(), a.deadline(), a.env())))
                .orElse(null), true)
                .onSuccess(event -> {
                    if (event != null) {
                        sse.send("approval", event);
                    }
                });
    }

    /** The command, if it exists and the token sees its node; for another node's command, the same 404 as for none. */
    private CommandView visible(Principal p, String id) {
        return s.ledger().command(id).filter(c -> p.sees(c.node()))
                .orElseThrow(() -> DispatcherException.notFound("no command with id '" + id + "'"));
    }

    /**
     * Reads chunks from {@code next} on and sends them, a page at a time, each page once the client
     * has taken the one before (a backlog of 10 MB sent at once filled the write queue, and the
     * stream was cut); when {@code ending}, finishes the stream after the last page.
     */
    private void catchUp(RoutingContext ctx, SseStream sse, String id, AtomicLong next, boolean ending) {
        if (sse.isClosed()) {
            return;
        }
        sse.context().<List<LogChunk>>executeBlocking(() -> s.ledger().logs(id, next.get(), PAGE_CHUNKS), true).onComplete(ar -> {
            if (ar.failed()) {
                sse.send("error", Map.of("code", "UNAVAILABLE", "message", "the ledger could not be read"));
                sse.end();
                return;
            }
            sendNew(sse, ar.result(), next);
            if (ar.result().size() == PAGE_CHUNKS) {
                sse.whenWritable(() -> catchUp(ctx, sse, id, next, ending));
            } else if (ending) {
                finishWhenComplete(ctx, sse, id, next);
            }
        });
    }

    /** Sends the chunks from {@code next} on, in seq order, each once; {@code next} moves past them. */
    private void sendNew(SseStream sse, List<LogChunk> chunks, AtomicLong next) {
        for (LogChunk c : chunks) {
            if (c.seq() >= next.get()) {
                next.set(c.seq() + 1);
                sse.send("log", codec.toTree(c));
            }
        }
    }

    /**
     * The result says how many chunks there were: when all are sent, the stream ends at once;
     * otherwise late chunks (published before the result but delivered after it) get
     * {@link #LATE_CHUNK_MS} to arrive.
     */
    private void finishWhenComplete(RoutingContext ctx, SseStream sse, String id, AtomicLong next) {
        sse.context().<Long>executeBlocking(() -> s.ledger().command(id).map(StreamRoutes::chunkCount).orElse(-1L), true)
                .onComplete(ar -> {
                    long expected = ar.succeeded() ? ar.result() : -1L;
                    if (expected >= 0 && next.get() >= expected) {
                        finish(ctx, sse, id, next);
                    } else {
                        ctx.vertx().setTimer(LATE_CHUNK_MS, t -> sse.context().runOnContext(v -> finish(ctx, sse, id, next)));
                    }
                });
    }

    private static long chunkCount(CommandView c) {
        if (c.resultJson() == null) {
            return -1;
        }
        try {
            return Views.MAPPER.readTree(c.resultJson()).path("logChunks").asLong(-1);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private void finish(RoutingContext ctx, SseStream sse, String id, AtomicLong next) {
        sse.context().<CommandView>executeBlocking(() -> {
            sendNew(sse, s.ledger().logs(id, next.get(), MAX_CHUNKS), next);
            return s.ledger().command(id).orElse(null);
        }, true).onComplete(ar -> {
            if (ar.succeeded() && ar.result() != null) {
                sse.send("result", Views.command(ar.result()));
            }
            sse.end();
        });
    }

    /**
     * Every state change, result, presence change and approval, as server-sent events; {@code ?node=}
     * filters. Each event has an id; a client that comes back with {@code Last-Event-ID} (or
     * {@code ?lastEventId=}) first gets what it missed, or a {@code reset} event when the journal
     * cannot tell (see {@link EventJournal}).
     */
    void events(RoutingContext ctx) {
        String node = Handlers.param(ctx, "node");
        String last = ctx.request().getHeader("Last-Event-ID");
        if (last == null || last.isBlank()) {
            last = Handlers.param(ctx, "lastEventId");
        }
        Principal p = AuthHandler.principal(ctx);
        SseStream sse = new SseStream(ctx.vertx(), ctx.response(), s.metrics());
        AutoCloseable sub = s.journal().follow(last, e -> (node == null || node.equals(e.node())) && p.sees(e.node()),
                new EventJournal.Follower() {
                    @Override
                    public void missed(String reason, String now) {
                        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
                        m.put("kind", "reset");
                        m.put("reason", reason);
                        sse.send(now, "reset", m); // its id moves the client's Last-Event-ID to now
                    }

                    @Override
                    public void event(EventJournal.Numbered n) {
                        sse.send(n.id(), n.event().kind().wire(), envelope(n.event()));
                    }
                });
        sse.onClose(() -> closeQuietly(sub));
    }

    private static Map<String, Object> envelope(Event e) {
        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("kind", e.kind().wire());
        m.put("id", e.id());
        m.put("node", e.node());
        m.put("status", e.status());
        m.put("at", e.at().toString());
        m.put("data", e.data() instanceof CommandView c ? Views.command(c) : e.data());
        return m;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // a listener removal has nothing to report
        }
    }
}
