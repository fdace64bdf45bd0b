package dev.hostops.broker.internal.mqtt;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.hostops.broker.AccessRefusedException;
import dev.hostops.broker.TransportException;
import io.reactivex.disposables.Disposable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions this transport holds at the broker, and their SUBACKs.
 *
 * <p>A subscribe call whose filter an earlier one covers ({@code a/+/result} under {@code a/#})
 * shares that subscription instead of making its own. Brokers such as Mosquitto send a client one
 * copy of a message per matching subscription; MQTT 5 subscription identifiers would say which copy
 * is for which, but the HiveMQ client does not expose them (hivemq-mqtt-client issue 596), and
 * handlers are found by topic ({@link Subscriptions#matching}), so with overlapping subscriptions
 * each handler would get such a message twice. A wider filter that comes after narrower ones takes
 * over: they are unsubscribed, and its subscribe call completes when the broker confirmed that.
 * The cost: a subscribe call that shares an
 * earlier subscription does not get the retained messages the broker sent for that one. Filters
 * that overlap without one covering the other ({@code a/+/x} and {@code a/y/+}) still get a message
 * twice from such brokers, which at-least-once allows; hostops's own filters never overlap.
 *
 * <p>The client restores the subscriptions after a reconnect on which the broker had lost the
 * session, so this class only acts on subscribe calls. Used on the transport's thread only.
 */
final class BrokerSubscriptions {
    private static final Logger log = LoggerFactory.getLogger(BrokerSubscriptions.class);

    private final String name;
    private final Subscriptions registry;
    private final Executor transportThread;
    /** The entries whose filter is subscribed at the broker, each with its SUBACK. */
    private final Map<Subscriptions.Entry, CompletableFuture<Void>> atBroker = new LinkedHashMap<>();
    private final Set<Subscriptions.Entry> placed = new HashSet<>();
    /** SUBSCRIBEs without their SUBACK yet; disposed on close, or each would keep the client's I/O thread alive. */
    private final Set<Disposable> unanswered = new HashSet<>();

    BrokerSubscriptions(String name, Subscriptions registry, Executor transportThread) {
        this.name = name;
        this.registry = registry;
        this.transportThread = transportThread;
    }

    /** At the first connection: every subscribe call so far, those no other covers first, so the rest can share theirs. */
    void placeAll(Mqtt5AsyncClient client) {
        List<Subscriptions.Entry> all = registry.all();
        List<Subscriptions.Entry> ordered = new ArrayList<>(all.size());
        for (Subscriptions.Entry e : all) {
            if (all.stream().noneMatch(other -> other != e && other.covers(e))) {
                ordered.add(e);
            }
        }
        for (Subscriptions.Entry e : all) {
            if (!ordered.contains(e)) {
                ordered.add(e);
            }
        }
        ordered.forEach(e -> place(client, e));
    }

    /** Subscribes at the broker, or shares a subscription there that covers this one. Once per entry. */
    void place(Mqtt5AsyncClient client, Subscriptions.Entry e) {
        if (!placed.add(e)) {
            return;
        }
        for (Map.Entry<Subscriptions.Entry, CompletableFuture<Void>> held : atBroker.entrySet()) {
            if (held.getKey().covers(e)) {
                settle(e, held.getValue());
                return;
            }
        }
        CompletableFuture<Void> suback = new CompletableFuture<>();
        atBroker.put(e, suback);
        settle(e, suback);
        Mqtt5Subscribe subscribe = Mqtt5Subscribe.builder().topicFilter(e.filter()).qos(MqttMessages.qos(e.qos()))
                .noLocal(e.noLocal()).build();
        Disposable[] request = new Disposable[1];
        request[0] = client.toRx().subscribe(subscribe).subscribe((ack, failure) -> transportThread.execute(() -> {
            unanswered.remove(request[0]);
            answered(client, e, suback, ack, failure);
        }));
        if (!request[0].isDisposed()) {
            unanswered.add(request[0]);
        }
    }

    private void answered(Mqtt5AsyncClient client, Subscriptions.Entry e, CompletableFuture<Void> suback,
            Mqtt5SubAck ack, Throwable failure) {
        if (MqttFailures.unwrap(failure) instanceof Mqtt5SubAckException refused) {
            // The client fails the SUBSCRIBE when every code is an error; the codes are in its SUBACK.
            ack = refused.getMqttMessage();
            failure = null;
        }
        String refusal = null;
        boolean notAuthorized = false;
        if (failure != null) {
            refusal = MqttFailures.describe(failure);
        } else {
            Mqtt5SubAckReasonCode code = ack.getReasonCodes().get(0);
            if (code.isError()) {
                refusal = code + " (MQTT reason code " + MqttFailures.hex(code) + ")";
                notAuthorized = code == Mqtt5SubAckReasonCode.NOT_AUTHORIZED;
            }
        }
        if (refusal != null) {
            atBroker.remove(e);
            String message = "broker refused the subscription to '" + e.filter() + "': " + refusal;
            suback.completeExceptionally(notAuthorized ? new AccessRefusedException(message) : new TransportException(message));
            return;
        }
        // Granted once the narrower ones are gone, so that from then on each message comes once.
        CompletableFuture.allOf(unsubscribeCoveredBy(client, e).toArray(CompletableFuture[]::new))
                .whenCompleteAsync((ok, ignored) -> suback.complete(null), transportThread);
    }

    /** The entry's future follows the subscription it relies on; a refused one is forgotten. */
    private void settle(Subscriptions.Entry e, CompletableFuture<Void> suback) {
        suback.whenComplete((ok, failure) -> {
            if (failure == null) {
                e.acked().complete(null);
            } else {
                registry.remove(e);
                e.acked().completeExceptionally(failure);
            }
        });
    }

    /** Completes each returned future on the UNSUBACK, successful or not. */
    private List<CompletableFuture<?>> unsubscribeCoveredBy(Mqtt5AsyncClient client, Subscriptions.Entry wide) {
        List<CompletableFuture<?>> unsubscribed = new ArrayList<>();
        for (Iterator<Subscriptions.Entry> it = atBroker.keySet().iterator(); it.hasNext(); ) {
            Subscriptions.Entry narrower = it.next();
            if (narrower != wide && wide.covers(narrower)) {
                it.remove();
                unsubscribed.add(client.unsubscribeWith().topicFilter(narrower.filter()).send().handle((ok, failure) -> {
                    if (failure != null) {
                        // still subscribed: its messages may arrive twice, which at-least-once allows
                        log.debug("{}: could not unsubscribe '{}' (covered by '{}'): {}", name, narrower.filter(),
                                wide.filter(), failure.toString());
                    }
                    return null;
                }));
            }
        }
        return unsubscribed;
    }

    /** For close(). */
    void abandon() {
        unanswered.forEach(Disposable::dispose);
        unanswered.clear();
    }
}
