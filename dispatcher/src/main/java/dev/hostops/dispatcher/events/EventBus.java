package dev.hostops.dispatcher.events;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process publish/subscribe for {@link Event}s. Listeners run on the publisher's thread and
 * must return quickly (hand off to their own executor or event loop). A listener that throws is
 * logged and the others still run: one broken SSE client must not stop the ledger's observer.
 */
public final class EventBus {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private record Subscription(Predicate<Event> filter, Consumer<Event> listener) {}

    private final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    /** Subscribes to every event matching {@code filter}; close the returned handle to stop. */
    public AutoCloseable subscribe(Predicate<Event> filter, Consumer<Event> listener) {
        Subscription s = new Subscription(filter, listener);
        subscriptions.add(s);
        return () -> subscriptions.remove(s);
    }

    public void publish(Event event) {
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
        return subscriptions.size();
    }
}
