package dev.hostops.dispatcher.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The dispatcher's meters over an injected {@link MeterRegistry} (names in {@link MeterNames}). */
public final class DispatcherMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger sseStreams = new AtomicInteger();
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();

    public DispatcherMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(MeterNames.SSE_STREAMS.meterName(), sseStreams, AtomicInteger::get)
                .description("Open server-sent-event streams").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void messageReceived(String type) {
        counter(MeterNames.MESSAGES_RECEIVED, "type", type).increment();
    }

    public void messageInvalid(String topicKind, String code) {
        counter(MeterNames.MESSAGES_INVALID, "topic_kind", topicKind, "code", code).increment();
    }

    public void commandSubmitted(String outcome) {
        counter(MeterNames.COMMANDS_SUBMITTED, "outcome", outcome).increment();
    }

    public void commandFinished(String status) {
        counter(MeterNames.COMMANDS_FINISHED, "status", status).increment();
    }

    public void commandsPruned(int n) {
        counter(MeterNames.COMMANDS_PRUNED).increment(n);
    }

    /** @param reason "refused" (the transport failed the publish) or "unacknowledged" (no acknowledgement within the publish wait) */
    public void publishFailed(String reason) {
        counter(MeterNames.PUBLISH_FAILURES, "reason", reason).increment();
    }

    public void httpRequest(String route, int status) {
        counter(MeterNames.HTTP_REQUESTS, "route", route, "status", Integer.toString(status)).increment();
    }

    public void sseOpened() {
        sseStreams.incrementAndGet();
    }

    public void sseClosed() {
        sseStreams.decrementAndGet();
    }

    /** Registers a gauge read from {@code value} (for the backlog and the broker connection). */
    public void gauge(MeterNames name, Supplier<Number> value) {
        Gauge.builder(name.meterName(), value).register(registry);
    }

    /**
     * The counter of that name and tags, registered on first use. Kept here because building and
     * registering one costs an id, a tag sort and a registry lookup, per message and per request
     * (the HTTP and correlation profiles showed it); every tag value is from a small fixed set, so
     * the cache stays small.
     */
    private Counter counter(MeterNames name, String... tags) {
        return counters.computeIfAbsent(new CounterKey(name, List.of(tags)),
                k -> Counter.builder(name.meterName()).tags(tags).register(registry));
    }

    private record CounterKey(MeterNames name, List<String> tags) {}
}
