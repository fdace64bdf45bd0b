package dev.hostops.dispatcher.bench;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.dispatcher.Dispatcher;
import dev.hostops.dispatcher.events.EventKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The correlation path alone: execs published straight to the broker (as any MQTT client of an
 * orchestrator may), answered by the simulated nodes, observed and correlated by the dispatcher:
 * per command its exec, RUNNING state and result, each committed to the ledger. Timed until every
 * result is committed (the RESULT event fires after the commit), then checked in the ledger. No
 * HTTP, audit or dispatcher publish on this path: it measures what the dispatcher can correlate.
 */
final class BrokerCorrelation {
    /** Publishes outstanding at once (the publisher's window, well inside the transport's bound). */
    static final int WINDOW = 1_000;

    /**
     * @param benchCpuPerSecond CPU seconds the bench's JVM used per second (dispatcher, simulated
     *                          nodes and publisher together)
     * @param cpuMsPerCommand   the same CPU split by role, per correlated command ({@link CpuAccount})
     */
    record Report(int commands, int nodes, double seconds, double correlatedPerSecond, long resultsSeen,
                  long succeededInLedger, boolean timedOut, double benchCpuPerSecond, CpuAccount.Report cpuMsPerCommand) {}

    private final Consumer<String> progress;
    private final Duration timeout;

    BrokerCorrelation(Consumer<String> progress, Duration timeout) {
        this.progress = progress;
        this.timeout = timeout;
    }

    Report run(Dispatcher d, BenchMosquitto broker, List<String> nodes, int n) throws Exception {
        String prefix = "bc-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        MessageCodec codec = MessageCodec.standard();
        progress.accept("broker correlation: " + n + " execs published straight to the broker for " + nodes.size() + " simulated nodes");
        AtomicLong results = new AtomicLong();
        CountDownLatch allResults = new CountDownLatch(n);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean timedOut = false;
        long cpu0 = DispatcherBench.cpuNanos();
        CpuAccount.Snapshot before = CpuAccount.take(broker.pid());
        long t0 = System.nanoTime();
        AutoCloseable sub = d.events().subscribe(e -> e.kind() == EventKind.RESULT && e.id().startsWith(prefix), e -> {
            results.incrementAndGet();
            allResults.countDown();
        });
        try (Transport publisher = Transports.create(TransportOptions.builder(BrokerUrl.parse(broker.url()),
                "bench-orchestrator-" + UUID.randomUUID().toString().substring(0, 8)).build())) {
            publisher.connect().get(10, TimeUnit.SECONDS);
            Semaphore window = new Semaphore(WINDOW);
            Instant expires = Instant.now().plus(Duration.ofMinutes(10));
            for (int i = 0; i < n; i++) {
                if (!window.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    timedOut = true;
                    break;
                }
                String node = nodes.get(i % nodes.size());
                Exec exec = Exec.of(prefix + i, node, List.of(DispatcherBench.TRUE)).withExpiresAt(expires);
                publisher.publish(OutboundMessage.reliable(Topics.cmd(node), codec.encode(exec)))
                        .whenComplete((ok, err) -> window.release());
            }
            timedOut |= !allResults.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } finally {
            sub.close();
        }
        double seconds = DispatcherBench.seconds(t0);
        double cpu = DispatcherBench.cpuPerSecond(cpu0, seconds);
        CpuAccount.Report split = CpuAccount.between(before, CpuAccount.take(broker.pid()), results.get());
        long succeeded = DispatcherBench.succeededInLedger(d, nodes, prefix);
        return new Report(n, nodes.size(), seconds, Math.round(results.get() / seconds), results.get(), succeeded, timedOut, cpu, split);
    }
}
