package dev.hostops.dispatcher.bench;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import dev.hostops.contracts.message.Exec;
import dev.hostops.dispatcher.ledger.Ledger;
import dev.hostops.dispatcher.ledger.LedgerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * What the dispatcher's figures are compared with, measured in the same run: a broker round trip
 * (publish QoS 1, a responder on its own connection publishes it back, as a command and its
 * result travel) and a ledger write (one command committed, waited for, on the same kind of
 * ledger the dispatcher uses, SQLite with an fsync per transaction), one at a time and pipelined.
 */
public final class Floors {
    private Floors() {}

    /** The floors' figures. */
    public record Report(Latency brokerRoundTrip, Latency ledgerWrite, double ledgerPipelinedWritesPerSecond) {}

    public static Report measure(String brokerUrl, Path dir, int roundTrips, int ledgerWrites) throws Exception {
        return new Report(brokerRoundTrip(brokerUrl, roundTrips), ledgerWrite(dir, ledgerWrites), ledgerPipelined(dir, 20_000));
    }

    /** Publish-to-reply over the broker through the project's transport (HiveMQ MQTT client), one at a time, after 200 warm-up. */
    public static Latency brokerRoundTrip(String url, int count) throws Exception {
        String base = "hostops-bench/" + UUID.randomUUID();
        AtomicReference<CompletableFuture<Long>> waiting = new AtomicReference<>();
        try (Transport responder = connect(url); Transport requester = connect(url)) {
            CompletableFuture<Void> s1 = responder.subscribe(base + "/ping", Qos.AT_LEAST_ONCE,
                    m -> responder.publish(OutboundMessage.reliable(base + "/pong", m.payload())));
            CompletableFuture<Void> s2 = requester.subscribe(base + "/pong", Qos.AT_LEAST_ONCE, m -> {
                CompletableFuture<Long> w = waiting.get();
                if (w != null) {
                    w.complete(ByteBuffer.wrap(m.payload()).getLong());
                }
            });
            responder.connect().get(10, TimeUnit.SECONDS);
            requester.connect().get(10, TimeUnit.SECONDS);
            s1.get(10, TimeUnit.SECONDS);
            s2.get(10, TimeUnit.SECONDS);
            Histogram h = Latency.histogram();
            for (long i = 0; i < count + 200; i++) {
                CompletableFuture<Long> w = new CompletableFuture<>();
                waiting.set(w);
                long t0 = System.nanoTime();
                requester.publish(OutboundMessage.reliable(base + "/ping", ByteBuffer.allocate(256).putLong(0, i).array()));
                long seq = w.get(5, TimeUnit.SECONDS);
                long dt = System.nanoTime() - t0;
                if (seq == i && i >= 200) {
                    h.recordValue(dt);
                }
            }
            return Latency.of(h);
        }
    }

    private static Transport connect(String url) {
        // Subscribed before connect like every hostops client; a clean session: nothing to keep.
        return Transports.create(TransportOptions.builder(BrokerUrl.parse(url), "bench-floor-" + UUID.randomUUID()).build());
    }

    /** One command recorded and waited for, {@code count} times (after 50 warm-up), on a fresh SQLite ledger. */
    public static Latency ledgerWrite(Path dir, int count) throws java.io.IOException {
        try (Ledger ledger = Ledger.open(LedgerConfig.sqlite(java.nio.file.Files.createDirectories(dir.resolve("floor-" + UUID.randomUUID())))
                .withMeterRegistry(new SimpleMeterRegistry()))) {
            Histogram h = Latency.histogram();
            for (int i = 0; i < count + 50; i++) {
                Exec e = Exec.of("floor-" + i, "floor-node", List.of("/usr/bin/true"));
                long t0 = System.nanoTime();
                ledger.recordCommand(e, "bench", null, Instant.now());
                if (i >= 50) {
                    h.recordValue(System.nanoTime() - t0);
                }
            }
            return Latency.of(h);
        }
    }

    /** {@code count} commands recorded without waiting for each (the writer batches them); commands per second. */
    public static double ledgerPipelined(Path dir, int count) throws java.io.IOException {
        try (Ledger ledger = Ledger.open(LedgerConfig.sqlite(java.nio.file.Files.createDirectories(dir.resolve("floor-" + UUID.randomUUID())))
                .withMeterRegistry(new SimpleMeterRegistry()))) {
            long t0 = System.nanoTime();
            CompletableFuture<?>[] all = new CompletableFuture<?>[count];
            Instant now = Instant.now();
            for (int i = 0; i < count; i++) {
                all[i] = ledger.recordCommandAsync(Exec.of("pipe-" + i, "floor-node", List.of("/usr/bin/true")), "bench", null, now);
            }
            CompletableFuture.allOf(all).join();
            return Math.round(count / ((System.nanoTime() - t0) / 1e9));
        }
    }
}
