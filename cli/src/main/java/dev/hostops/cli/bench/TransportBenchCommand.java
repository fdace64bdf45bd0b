package dev.hostops.cli.bench;

import dev.hostops.broker.bench.BenchOptions;
import dev.hostops.broker.bench.BenchReport;
import dev.hostops.broker.bench.BenchTarget;
import dev.hostops.broker.bench.TransportBench;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hostops bench transport}: round trip and throughput per broker, beside a raw TCP echo. */
@Command(name = "transport", mixinStandardHelpOptions = true,
        description = "Publish-to-reply round trip (p50/p99) and one-way QoS 1 throughput per broker, beside a raw TCP echo on loopback.",
        footer = {"", "Example:", "  hostops bench transport --embedded --target mosquitto=mqtt://127.0.0.1:1883 \\",
                "      --target rabbitmq=amqp://guest:guest@127.0.0.1:5672 --json"})
public final class TransportBenchCommand implements Callable<Integer> {
    @Option(names = "--embedded", description = "Also measure the embedded MQTT broker (started in this process).")
    boolean embedded;

    @Option(names = "--target", paramLabel = "NAME=URL", description = "A broker to measure (repeatable).")
    List<String> targets = new ArrayList<>();

    @Option(names = "--round-trips", defaultValue = "2000", description = "Measured round trips per broker, one at a time.") int roundTrips;
    @Option(names = "--warmup", defaultValue = "500", description = "Round trips before measuring (JIT, connection, broker caches).") int warmup;
    @Option(names = "--messages", defaultValue = "20000", description = "Messages in the throughput run.") int messages;
    @Option(names = "--in-flight", defaultValue = "256", description = "Publishes awaiting their acknowledgement at most, in the throughput run.") int inFlight;
    @Option(names = "--payload", defaultValue = "256", description = "Bytes per message.") int payload;
    @Option(names = "--timeout-seconds", defaultValue = "30", description = "Each phase stops after this.") int timeoutSeconds;
    @Option(names = "--json", description = "Print only the JSON report (the default output too; kept for symmetry).") boolean json;

    @Override
    public Integer call() throws Exception {
        List<BenchTarget> parsed = targets.stream().map(BenchTarget::parse).toList();
        BenchOptions options = new BenchOptions(parsed, embedded || parsed.isEmpty(), warmup, roundTrips, messages, inFlight,
                payload, true, Duration.ofSeconds(timeoutSeconds));
        BenchReport report = TransportBench.run(options);
        System.out.println(report.toJson());
        return report.targets().stream().anyMatch(r -> r.error() != null) ? 1 : 0;
    }
}
