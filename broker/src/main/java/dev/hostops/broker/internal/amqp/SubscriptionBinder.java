package dev.hostops.broker.internal.amqp;

import dev.hostops.broker.AccessRefusedException;
import dev.hostops.broker.TransportException;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the subscriptions onto a session: declares the client queue, binds every subscription's
 * key and starts the consumer. Runs on the transport's lifecycle thread, for every new session
 * and for every new subscription.
 */
final class SubscriptionBinder {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionBinder.class);

    private final String name;
    private final String queueName;
    private final boolean persistent;
    private final AmqpSubscriptions subscriptions;
    private final Consumer<AmqpSession> onConsumerCancelled;

    SubscriptionBinder(String name, String queueName, boolean persistent, AmqpSubscriptions subscriptions,
            Consumer<AmqpSession> onConsumerCancelled) {
        this.name = name;
        this.queueName = queueName;
        this.persistent = persistent;
        this.subscriptions = subscriptions;
        this.onConsumerCancelled = onConsumerCancelled;
    }

    /**
     * Binds everything not yet bound on {@code s}. A binding the broker refuses (topic
     * permissions) fails that subscription for good and the rest go ahead on a new channel; any
     * other error is thrown, and the caller starts over on a new connection.
     */
    void apply(AmqpSession s) throws IOException {
        while (true) {
            List<AmqpSubscriptions.Subscription> subs = subscriptions.all();
            if (subs.isEmpty()) {
                return;
            }
            try {
                bindAll(s, subs);
                return;
            } catch (IOException e) {
                ChannelError error = ChannelError.of(e);
                if (error == null || !error.accessRefused() || !refuse(subs, error)) {
                    throw e;
                }
                s.reopenConsumeChannel(); // bounded: every round removes at least one subscription
            }
        }
    }

    private void bindAll(AmqpSession s, List<AmqpSubscriptions.Subscription> subs) throws IOException {
        s.declareQueue(queueName, persistent);
        for (AmqpSubscriptions.Subscription sub : subs) {
            s.bind(queueName, sub.bindingKey());
        }
        s.startConsumer(queueName, subscriptions::dispatch, () -> onConsumerCancelled.accept(s));
        for (AmqpSubscriptions.Subscription sub : subs) {
            sub.established().complete(null);
        }
    }

    /** Fails and drops the subscriptions the refusal names (all of them if it names the queue). */
    private boolean refuse(List<AmqpSubscriptions.Subscription> subs, ChannelError error) {
        boolean any = false;
        for (AmqpSubscriptions.Subscription sub : subs) {
            if (error.names(sub.bindingKey()) || error.names(queueName)) {
                subscriptions.remove(sub);
                String message = "the broker refused the subscription to '" + sub.filter() + "': " + error.text();
                sub.established().completeExceptionally(error.accessRefused()
                        ? new AccessRefusedException(message) : new TransportException(message));
                log.warn("{}: subscription to '{}' refused: {}", name, sub.filter(), error.text());
                any = true;
            }
        }
        return any;
    }
}
