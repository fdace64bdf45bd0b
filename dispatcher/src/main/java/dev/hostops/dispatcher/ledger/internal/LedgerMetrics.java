package dev.hostops.dispatcher.ledger.internal;

import dev.hostops.dispatcher.ledger.Anomaly;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The ledger's meters. Names are declared here once. */
final class LedgerMetrics {
    static final String ANOMALIES = "hostops.ledger.anomalies";
    static final String EVENTS = "hostops.ledger.events.committed";
    static final String FAILED = "hostops.ledger.events.failed";
    static final String BATCH_SIZE = "hostops.ledger.batch.size";
    static final String QUEUE_DEPTH = "hostops.ledger.queue.depth";

    private final Map<Anomaly.Kind, Counter> anomalies = new EnumMap<>(Anomaly.Kind.class);
    private final Counter committed;
    private final Counter failed;
    private final DistributionSummary batchSize;

    LedgerMetrics(MeterRegistry registry, Supplier<Number> queueDepth) {
        for (Anomaly.Kind kind : Anomaly.Kind.values()) {
            anomalies.put(kind, Counter.builder(ANOMALIES).tag("kind", kind.name())
                    .description("Events that contradicted a terminal status; recorded, never applied").register(registry));
        }
        committed = Counter.builder(EVENTS).description("Events committed to the ledger").register(registry);
        failed = Counter.builder(FAILED).description("Events whose transaction failed").register(registry);
        batchSize = DistributionSummary.builder(BATCH_SIZE).description("Events per ledger transaction").register(registry);
        Gauge.builder(QUEUE_DEPTH, queueDepth).description("Events waiting for the ledger writer").register(registry);
    }

    /** Makes the metrics once the queue whose depth they report exists. */
    @FunctionalInterface
    interface Factory {
        LedgerMetrics create(Supplier<Number> queueDepth);
    }

    void anomaly(Anomaly.Kind kind) {
        anomalies.get(kind).increment();
    }

    void committed(int events) {
        committed.increment(events);
        batchSize.record(events);
    }

    void failed() {
        failed.increment();
    }
}
