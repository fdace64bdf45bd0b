package dev.hostops.broker.internal.amqp;

import dev.hostops.broker.TransportException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Publishes waiting for a connection, in publish order: new ones made while disconnected, and
 * unconfirmed ones taken back from a lost connection (those go first, they were published
 * earlier). Bounded, so a long outage fails publishes instead of exhausting memory. Not
 * thread-safe: the transport guards it with its publish lock.
 */
final class PublishBuffer {
    private final int capacity;
    private final Deque<PendingPublish> queue = new ArrayDeque<>();

    PublishBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** Appends; fails the publish's future when the buffer is full. */
    void add(PendingPublish p) {
        if (queue.size() >= capacity) {
            p.future().completeExceptionally(new TransportException("the broker is unreachable and " + capacity
                    + " publishes are already waiting; publish to '" + p.message().topic() + "' refused"));
            return;
        }
        queue.addLast(p);
    }

    /** Puts publishes that were sent but not confirmed back at the front, keeping their order. */
    void addFirstAll(List<PendingPublish> unconfirmed) {
        for (int i = unconfirmed.size() - 1; i >= 0; i--) {
            if (!unconfirmed.get(i).isDone()) {
                queue.addFirst(unconfirmed.get(i)); // may exceed capacity: these were accepted already
            }
        }
    }

    void addFirst(PendingPublish p) {
        queue.addFirst(p);
    }

    PendingPublish poll() {
        return queue.pollFirst();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    List<PendingPublish> drain() {
        List<PendingPublish> all = new ArrayList<>(queue);
        queue.clear();
        return all;
    }
}
