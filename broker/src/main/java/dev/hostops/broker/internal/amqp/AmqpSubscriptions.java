package dev.hostops.broker.internal.amqp;

import dev.hostops.broker.InboundMessage;
import dev.hostops.broker.MessageHandler;
import dev.hostops.broker.TransportException;
import dev.hostops.contracts.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions of one transport: each is an MQTT filter, its AMQP binding key and a
 * handler. They outlive connections: every new connection binds them all again.
 */
final class AmqpSubscriptions {
    private static final Logger log = LoggerFactory.getLogger(AmqpSubscriptions.class);

    /** One subscription; {@code established} completes the first time the broker has the binding. */
    record Subscription(String filter, String bindingKey, MessageHandler handler, CompletableFuture<Void> established) {}

    private final String name;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    AmqpSubscriptions(String name) {
        this.name = name;
    }

    Subscription add(String filter, MessageHandler handler) {
        Subscription s = new Subscription(TopicFilter.requireValid(filter), Topics.toRoutingKey(filter), handler,
                new CompletableFuture<>());
        subscriptions.add(s);
        return s;
    }

    void remove(Subscription s) {
        subscriptions.remove(s);
    }

    List<Subscription> all() {
        return List.copyOf(subscriptions);
    }

    boolean isEmpty() {
        return subscriptions.isEmpty();
    }

    /**
     * Calls every handler whose filter matches, one after the other. A handler's exception is
     * logged and does not stop the others: the message is acknowledged anyway.
     */
    CompletionStage<?> dispatch(InboundMessage message) {
        boolean matched = false;
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (Subscription s : subscriptions) {
            if (!TopicFilter.matches(s.filter(), message.topic())) {
                continue;
            }
            matched = true;
            try {
                done.add(s.handler().handle(message).toCompletableFuture().handle((ok, e) -> e == null ? null : failed(s, message, e)));
            } catch (Exception e) {
                failed(s, message, e);
            }
        }
        if (!matched) {
            // A durable queue keeps the bindings of an earlier run with other subscriptions.
            log.debug("{}: no subscription matches '{}'; message dropped", name, message.topic());
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    private Void failed(Subscription s, InboundMessage message, Throwable e) {
        log.warn("{}: handler for '{}' failed on a message to '{}'; acknowledged anyway", name, s.filter(), message.topic(), e);
        return null;
    }

    void failPending(TransportException cause) {
        for (Subscription s : subscriptions) {
            s.established().completeExceptionally(cause);
        }
    }
}
