package dev.hostops.dispatcher.events;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process publish/subscribe for {@link Event}s. Listeners run on the publisher's thread and
 * must return quickly (hand off to their own executor or event loop). A listener that throws is
 * logged and the others still run: one broken SSE client must not stop the ledger's observer.
 *
 * <p>Two kinds of subscription. One to every event ({@link #subscribe(Predicate, Consumer)}: an
 * SSE stream, the fan-out service) sees each event published. One to a single id
 * ({@link #subscribe(String, Predicate, Consumer)}: a request waiting for its command, a log
 * follower) is looked up by the event's id, so thousands of waiting requests cost an event
 * nothing: with them in one list, each event tested every waiter's filter and each subscription
 * copied the list (10,000 waiters: 36 µs per event, on the ledger's writer thread).
 */
public final class EventBus {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private record Subscription(Predicate<Event> filter, Consumer<Event> listener) {}

    private final CopyOnWriteArrayList<Subscription> everything = new CopyOnWriteArrayList<>();
    private final Map<String, List<Subscription>> byId = new ConcurrentHashMap<>();

    /** Subscribes to every event matching {@code filter}; close the returned handle to stop. */
    public AutoCloseable subscribe(Predicate<Event> filter, Consumer<Event> listener) {
        Subscription s = new Subscription(filter, listener);
        everything.add(s);
        return () -> everything.remove(s);
    }

    /**
     * Subscribes to the events whose {@link Event#id()} is {@code id} (a command, a fan-out request,
     * a node) and that match {@code filter}; close the returned handle to stop.
     */
    public AutoCloseable subscribe(String id, Predicate<Event> filter, Consumer<Event> listener) {
        Subscription s = new Subscription(filter, listener);
        byId.compute(id, (k, list) -> {
            List<Subscription> l = list == null ? new CopyOnWriteArrayList<>() : list;
            l.add(s);
            return l;
        });
        return () -> byId.computeIfPresent(id, (k, list) -> {
            list.remove(s);
            return list.isEmpty() ? null : list;
        });
    }

    public void publish(Event event) {
        deliver(everything, event);
        List<Subscription> keyed = byId.get(event.id());
        if (keyed != null) {
            deliver(keyed, event);
        }
    }

    private static void deliver(List<Subscription> subscriptions, Event event) {
        for (Subscription s : subscriptions) {
            try {
                if (s.filter.test(event)) {
                    s.listener.accept(event);
                }
            } catch (RuntimeException e) {
                LOG.warn("event listener failed on {} {}: {}", event.kind(), event.id(), e.toString());
            }
        }
    }

    public int subscriberCount() {
        int n = everything.size();
        for (List<Subscription> l : byId.values()) {
            n += l.size();
        }
        return n;
    }
}
