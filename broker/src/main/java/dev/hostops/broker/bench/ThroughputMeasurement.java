package dev.hostops.broker.bench;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One-way throughput with QoS 1: one publisher pipelines publishes with at most
 * {@code maxInFlight} unacknowledged, one subscriber on its own connection receives them.
 * Measured from the first publish to the last acknowledgement and to the last delivery.
 */
final class ThroughputMeasurement {
    private ThroughputMeasurement() {}

    static ThroughputStats measure(BrokerUrl url, BenchOptions o) throws Exception {
        String topic = BenchClients.topic("flow");
        Duration timeout = o.phaseTimeout();
        int n = o.messages();
        AtomicInteger received = new AtomicInteger();
        CompletableFuture<Long> allReceived = new CompletableFuture<>();
        try (Transport subscriber = BenchClients.connect(url, "subscriber", timeout);
                Transport publisher = BenchClients.connect(url, "publisher", timeout)) {
            subscriber.subscribe(topic, Qos.AT_LEAST_ONCE, m -> {
                if (received.incrementAndGet() == n) {
                    allReceived.complete(System.nanoTime());
                }
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);

            Semaphore window = new Semaphore(o.maxInFlight());
            AtomicInteger confirmed = new AtomicInteger();
            CompletableFuture<Long> allConfirmed = new CompletableFuture<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            long start = System.nanoTime();
            long deadline = start + timeout.toNanos();
            try {
                for (int i = 0; i < n; i++) {
                    if (!window.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        throw new TimeoutException();
                    }
                    if (failure.get() != null) {
                        throw new IllegalStateException("a publish failed: " + failure.get().getMessage(), failure.get());
                    }
                    publisher.publish(new OutboundMessage(topic, BenchClients.payload(o.payloadBytes(), i), Qos.AT_LEAST_ONCE, false, null))
                            .whenComplete((v, e) -> {
                                window.release();
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                } else if (confirmed.incrementAndGet() == n) {
                                    allConfirmed.complete(System.nanoTime());
                                }
                            });
                }
                long confirmedAt = allConfirmed.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                long receivedAt = allReceived.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                double confirmSeconds = (confirmedAt - start) / 1e9;
                double deliverSeconds = (receivedAt - start) / 1e9;
                return new ThroughputStats(n, o.maxInFlight(), round(Math.max(confirmSeconds, deliverSeconds), 3),
                        round(n / confirmSeconds, 0), round(n / deliverSeconds, 0), true);
            } catch (TimeoutException e) {
                // The time limit came first: report the rate reached so far.
                double seconds = (System.nanoTime() - start) / 1e9;
                return new ThroughputStats(confirmed.get(), o.maxInFlight(), round(seconds, 3),
                        round(confirmed.get() / seconds, 0), round(received.get() / seconds, 0), false);
            }
        }
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
