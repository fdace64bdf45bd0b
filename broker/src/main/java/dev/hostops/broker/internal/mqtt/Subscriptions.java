package dev.hostops.broker.internal.mqtt;

import dev.hostops.broker.MessageHandler;
import dev.hostops.broker.Qos;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;

/** The subscriptions of one transport: restored after every reconnect and used to route messages. */
final class Subscriptions {

    /** One {@code subscribe} call; {@code acked} completes on the first SUBACK that grants it. */
    record Entry(String filter, Qos qos, MessageHandler handler, CompletableFuture<Void> acked) {
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

    void add(Entry e) {
        entries.add(e);
    }

    void remove(Entry e) {
        entries.remove(e);
    }

    List<Entry> all() {
        return List.copyOf(entries);
    }

    /** The handlers whose filter matches the topic, in subscription order. */
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
