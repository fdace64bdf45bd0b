package dev.hostops.dispatcher.events;

import java.util.Locale;

/** The kinds of {@link Event}; their lower-case names are the SSE {@code event:} field. */
public enum EventKind {
    /** A command was recorded (through the API or seen on the broker). */
    COMMAND,
    /** A non-terminal state change (DELIVERED, AWAITING_APPROVAL, RUNNING). */
    STATE,
    /** A log chunk. Only on {@code logs?follow=true}, not on {@code /v1/events} (too many). */
    LOG,
    /** A terminal state: a node's result, or EXPIRED / LOST decided by the dispatcher. */
    RESULT,
    /** A node went online or offline. */
    PRESENCE,
    /** A node asks for approval. */
    APPROVAL_REQUEST,
    /** An approval was answered. */
    APPROVAL_DECISION,
    /** A fan-out request changed (an invocation dispatched, the request finished). */
    REQUEST;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
