package dev.hostops.broker.bench;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Publish-to-reply round trip, the shape of a hostops command and its reply: a requester
 * publishes (QoS 1) to a topic, a responder on its own connection republishes the payload
 * (QoS 1) to a reply topic, and the requester measures until the reply arrives. One at a time;
 * warm-up round trips first (at most a fifth of the phase time limit). Stops at the phase time limit:
 * then the count is below the number asked for.
 */
final class RoundTripMeasurement {
    private record Waiting(long seq, CompletableFuture<Long> arrivedAtNanos) {}

    /** A reply that takes longer than this is taken as lost. */
    static final Duration LOST_AFTER = Duration.ofSeconds(5);

    private RoundTripMeasurement() {}

    static LatencyStats measure(BrokerUrl url, BenchOptions o) throws Exception {
        String ping = BenchClients.topic("ping");
        String pong = BenchClients.topic("pong");
        Duration timeout = o.phaseTimeout();
        try (Transport responder = BenchClients.connect(url, "responder", timeout);
                Transport requester = BenchClients.connect(url, "requester", timeout)) {
            responder.subscribe(ping, Qos.AT_LEAST_ONCE,
                    m -> responder.publish(new OutboundMessage(pong, m.payload(), Qos.AT_LEAST_ONCE, false, null)))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            AtomicReference<Waiting> waiting = new AtomicReference<>();
            requester.subscribe(pong, Qos.AT_LEAST_ONCE, m -> {
                long now = System.nanoTime();
                Waiting w = waiting.get();
                if (w != null && BenchClients.seq(m.payload()) == w.seq()) {
                    w.arrivedAtNanos().complete(now);
                }
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);

            long begin = System.nanoTime();
            long deadline = begin + timeout.toNanos();
            long warmupDeadline = begin + timeout.toNanos() / 5; // a slow broker must leave time to measure
            long seq = 0;
            for (int i = 0; i < o.warmup() && System.nanoTime() < warmupDeadline; i++) {
                if (once(requester, ping, waiting, o.payloadBytes(), seq++, deadline) < 0) {
                    break;
                }
            }
            Histogram histogram = LatencyStats.newHistogram();
            for (int i = 0; i < o.roundTrips() && System.nanoTime() < deadline; i++) {
                long took = once(requester, ping, waiting, o.payloadBytes(), seq++, deadline);
                if (took < 0) {
                    break;
                }
                histogram.recordValue(took);
            }
            return LatencyStats.of(histogram);
        }
    }

    /**
     * One round trip: its duration in nanoseconds, or -1 if the phase time limit came first.
     *
     * @throws TimeoutException if a reply is lost (none within {@link #LOST_AFTER} before the time limit)
     */
    private static long once(Transport requester, String ping, AtomicReference<Waiting> waiting, int size, long seq,
            long deadline) throws Exception {
        Waiting w = new Waiting(seq, new CompletableFuture<>());
        waiting.set(w);
        long start = System.nanoTime();
        requester.publish(new OutboundMessage(ping, BenchClients.payload(size, seq), Qos.AT_LEAST_ONCE, false, null));
        long limit = Math.min(deadline, start + LOST_AFTER.toNanos());
        try {
            return w.arrivedAtNanos().get(Math.max(1, limit - start), TimeUnit.NANOSECONDS) - start;
        } catch (TimeoutException e) {
            if (System.nanoTime() - deadline >= 0) {
                return -1;
            }
            throw new TimeoutException("no reply to round trip " + seq + " within " + LOST_AFTER.toSeconds() + " s: lost");
        }
    }
}
