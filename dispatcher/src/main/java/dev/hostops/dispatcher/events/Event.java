package dev.hostops.dispatcher.events;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that changed, as the HTTP {@code /v1/events} stream and {@code logs?follow=true}
 * show it.
 *
 * @param kind    what happened
 * @param id      the command id (for presence, the node id; for a fan-out request, its id)
 * @param node    the node concerned, or null
 * @param status  the command's status after the change, or the presence state, or null
 * @param data    the JSON-serialisable details (a wire message, a view), or null
 * @param at      when the dispatcher saw it
 */
public record Event(EventKind kind, String id, String node, String status, Object data, Instant at) {
    public Event {
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(id, "id must not be null");
        at = at == null ? Instant.now() : at;
    }

    public static Event of(EventKind kind, String id, String node, String status, Object data) {
        return new Event(kind, id, node, status, data, Instant.now());
    }
}
