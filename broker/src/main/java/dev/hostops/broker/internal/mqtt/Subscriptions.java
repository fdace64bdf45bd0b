package dev.hostops.broker.internal.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import dev.hostops.broker.MessageHandler;
import dev.hostops.broker.Qos;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** The subscribe calls of one transport, and which of their handlers a received message goes to. */
final class Subscriptions {

    /**
     * One {@code subscribe} call; {@code acked} completes when the broker has a subscription that
     * covers it. {@code noLocal}: the broker keeps this client's own publications away from it.
     */
    record Entry(MqttTopicFilter filter, Qos qos, MessageHandler handler, boolean noLocal, CompletableFuture<Void> acked) {
        /**
         * True if every message this entry asks for also reaches {@code narrower} through it: its
         * filter matches every topic the other's does, at no lower QoS. Shared subscriptions neither
         * cover nor are covered (the broker gives each message to one member of a share group), nor
         * is a {@code $} topic covered by a wildcard (brokers do not match those, e.g. {@code $SYS}),
         * nor one that differs in No Local (the other would get, or miss, this client's own messages).
         */
        boolean covers(Entry narrower) {
            if (filter.isShared() || narrower.filter.isShared() || qos.level() < narrower.qos.level()
                    || noLocal != narrower.noLocal) {
                return false;
            }
            if (narrower.filter.toString().startsWith("$") && !filter.toString().startsWith("$")) {
                return false;
            }
            return filter.matches(narrower.filter);
        }
    }

    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();

    /** @throws IllegalArgumentException if the filter is not a valid MQTT topic filter */
    Entry add(String filter, Qos qos, MessageHandler handler, boolean noLocal) {
        Entry e = new Entry(MqttTopicFilter.of(filter), qos, handler, noLocal, new CompletableFuture<>());
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
     * The handlers whose filter matches the topic, in subscription order. Routing by topic, not by
     * MQTT 5 subscription identifiers: the HiveMQ client does not expose those (see
     * {@link BrokerSubscriptions} for why each message still reaches each handler once).
     */
    List<Entry> matching(MqttTopic topic) {
        List<Entry> result = new ArrayList<>(1);
        for (Entry e : entries) {
            if (e.filter().matches(topic)) {
                result.add(e);
            }
        }
        return result;
    }
}
