package dev.hostops.broker.internal.mqtt;

import dev.hostops.broker.MessageHandler;
import dev.hostops.broker.Qos;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;

/** The subscriptions of one transport: restored after every reconnect and used to route messages. */
final class Subscriptions {

    /**
     * One {@code subscribe} call; {@code acked} completes on the first SUBACK that grants it.
     * {@code id} is its MQTT 5 subscription identifier, so a message matching two overlapping
     * filters reaches each handler exactly as often as the broker sent it for that filter.
     */
    record Entry(int id, String filter, Qos qos, MessageHandler handler, CompletableFuture<Void> acked) {
        /** The filter without a {@code $share/group/} prefix: what topics are matched against. */
        String matchFilter() {
            if (filter.startsWith("$share/")) {
                int slash = filter.indexOf('/', "$share/".length());
                return slash < 0 ? filter : filter.substring(slash + 1);
            }
            return filter;
        }
    }

    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger();

    Entry add(String filter, Qos qos, MessageHandler handler) {
        // 1 to 268,435,455 (a variable byte integer); wrapping after that many subscribe calls is fine
        int id = nextId.updateAndGet(i -> i >= 268_435_455 ? 1 : i + 1);
        Entry e = new Entry(id, filter, qos, handler, new CompletableFuture<>());
        entries.add(e);
        return e;
    }

    void remove(Entry e) {
        entries.remove(e);
    }

    List<Entry> all() {
        return List.copyOf(entries);
    }

    /**
     * The handlers for a message that carries subscription identifiers: those subscribed with the
     * same filter as an identified subscription (subscribing a filter again replaces the broker's
     * subscription and its identifier, but both handlers want the messages).
     */
    List<Entry> forIdentifiers(List<Integer> ids) {
        List<String> filters = new ArrayList<>(ids.size());
        for (Entry e : entries) {
            if (ids.contains(e.id())) {
                filters.add(e.filter());
            }
        }
        List<Entry> result = new ArrayList<>(1);
        for (Entry e : entries) {
            if (filters.contains(e.filter())) {
                result.add(e);
            }
        }
        return result;
    }

    /** The handlers whose filter matches the topic, in subscription order (for brokers without subscription identifiers). */
    List<Entry> matching(String topic) {
        List<Entry> result = new ArrayList<>(1);
        for (Entry e : entries) {
            if (MqttTopicValidator.isMatched(e.matchFilter(), topic)) {
                result.add(e);
            }
        }
        return result;
    }
}
