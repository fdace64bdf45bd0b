package dev.hostops.broker.internal.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.hostops.broker.InboundMessage;
import io.reactivex.disposables.Disposable;
import io.reactivex.schedulers.Schedulers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes every message the client receives, runs the matching handlers on one thread of its own in
 * arrival order, and acknowledges each message only after its handlers are done (for a deferred
 * handler: when its stage completes). Not on the client's I/O thread: a handler that publishes and
 * waits for the PUBACK would wait for the thread it is blocking.
 *
 * <p>Acknowledgement is the client's manual acknowledgement: it sends the PUBACKs in the order the
 * messages arrived, whatever the order of the {@code acknowledge()} calls, so a deferred handler
 * that completes late holds back the acks after it but never lets one overtake it. An ack for a
 * message of an earlier connection is not sent: the broker delivers that message again.
 */
final class InboundDispatcher {
    private static final Logger log = LoggerFactory.getLogger(InboundDispatcher.class);

    private final String name;
    private final Subscriptions subscriptions;
    private final ThreadPoolExecutor executor;
    private volatile Thread handlerThread;
    private volatile Disposable flow;

    InboundDispatcher(String name, Subscriptions subscriptions, TransportThreads threads) {
        this.name = name;
        this.subscriptions = subscriptions;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> handlerThread = threads.newThread("handler", r));
    }

    /**
     * Starts taking messages, before the client connects: a persistent session's queued messages
     * arrive right after CONNACK, before any SUBSCRIBE of this run.
     */
    void start(Mqtt5AsyncClient client) {
        flow = client.toRx().publishes(MqttGlobalPublishFilter.ALL, true)
                .observeOn(Schedulers.from(command -> {
                    try {
                        executor.execute(command);
                    } catch (RejectedExecutionException closing) {
                        // closing: not handled, so not acknowledged; the broker delivers it again
                    }
                }), true)
                .subscribe(this::handleSafely, e -> log.debug("{}: message flow ended: {}", name, e.toString()));
    }

    /** An exception escaping to RxJava would end the flow: no message would arrive any more. */
    private void handleSafely(Mqtt5Publish publish) {
        try {
            handle(publish);
        } catch (RuntimeException e) {
            log.error("{}: could not hand over a message on '{}'; it is acknowledged anyway", name, publish.getTopic(), e);
            publish.acknowledge();
        }
    }

    private void handle(Mqtt5Publish publish) {
        InboundMessage inbound = MqttMessages.toInbound(publish);
        List<Subscriptions.Entry> handlers = subscriptions.matching(publish.getTopic());
        if (handlers.isEmpty()) {
            // A subscription of an earlier run still in the persistent session, or one removed since.
            // Acknowledged anyway, or it would come back forever.
            log.warn("{}: no handler for a message on '{}'", name, inbound.topic());
        }
        List<CompletableFuture<?>> done = new ArrayList<>(handlers.size());
        for (Subscriptions.Entry e : handlers) {
            try {
                done.add(e.handler().handle(inbound).toCompletableFuture()
                        .handle((ok, failure) -> failure == null ? null : failed(e, inbound.topic(), failure)));
            } catch (Exception failure) {
                failed(e, inbound.topic(), failure);
            }
        }
        if (publish.getQos() == MqttQos.AT_MOST_ONCE || done.isEmpty()) {
            publish.acknowledge();
        } else {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).whenComplete((ok, e) -> publish.acknowledge());
        }
    }

    private Void failed(Subscriptions.Entry e, String topic, Throwable failure) {
        // One bad message must not block the subscription: log it, ack it anyway.
        log.error("{}: handler for '{}' failed on a message on '{}'; the message is acknowledged anyway",
                name, e.filter(), topic, failure);
        return null;
    }

    /**
     * Stops handling messages: those not handled yet are dropped (unacknowledged, so the broker
     * delivers them again), and waits up to {@code wait} for the running handler to return, so its
     * ack can still go out. Never interrupts a handler: one writing a file through NIO would have
     * its channel closed.
     *
     * <p>The client's flow stays registered until {@link #release()}, to be called after the
     * disconnect: a message that arrives meanwhile is taken by the flow and never acknowledged. With
     * no flow registered the client acknowledges it by itself (it logs "No publish flow registered")
     * and the broker forgets it: a closing dispatcher lost a log chunk that way, and could have lost
     * a result, as could a closing node agent a command.
     */
    void shutdown(Duration wait) {
        executor.getQueue().clear();
        executor.shutdown();
        if (!isHandlerThread()) {
            try {
                if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("{}: a message handler is still running after {}; closing anyway", name, wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** After the disconnect: lets go of the client's flow (and so its I/O thread). */
    void release() {
        Disposable f = flow;
        if (f != null) {
            f.dispose();
        }
    }

    private boolean isHandlerThread() {
        return Thread.currentThread() == handlerThread;
    }
}
