package dev.hostops.broker.bench;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.embedded.EmbeddedBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * Measures the transports: for each broker, the publish-to-reply round trip (p50, p90, p99, max)
 * and the one-way QoS 1 throughput, plus a raw TCP echo on loopback as the floor. A benchmark,
 * not a test: it asserts nothing, it reports. Each phase is bounded by
 * {@link BenchOptions#phaseTimeout()}, so a run takes seconds.
 *
 * <pre>
 * java -cp ... dev.hostops.broker.bench.TransportBench --embedded \
 *     --target mosquitto=mqtt://127.0.0.1:1883 --target rabbitmq=amqp://127.0.0.1:5672
 * </pre>
 */
public final class TransportBench {
    private TransportBench() {}

    /** Runs every phase for every target; a target that fails has the reason in its result. */
    public static BenchReport run(BenchOptions options) {
        Instant started = Instant.now();
        LatencyStats floor = null;
        if (options.tcpFloor()) {
            try {
                floor = TcpEchoFloor.measure(options);
            } catch (IOException e) {
                floor = null; // loopback TCP not usable: report the brokers anyway
            }
        }
        List<TargetResult> results = new ArrayList<>();
        if (options.embeddedMqtt()) {
            results.add(measureEmbedded(options));
        }
        for (BenchTarget t : options.targets()) {
            results.add(measure(t.name(), t.url(), options));
        }
        return new BenchReport(started.toString(), MachineInfo.detect(), options.payloadBytes(), options.warmup(),
                options.roundTrips(), floor, results);
    }

    static TargetResult measure(String name, BrokerUrl url, BenchOptions options) {
        List<String> errors = new ArrayList<>();
        LatencyStats roundTrip = null;
        ThroughputStats throughput = null;
        try {
            roundTrip = RoundTripMeasurement.measure(url, options);
        } catch (Exception e) {
            errors.add("round trip: " + describe(e));
        }
        try {
            throughput = ThroughputMeasurement.measure(url, options);
        } catch (Exception e) {
            errors.add("throughput: " + describe(e));
        }
        if (roundTrip != null && roundTrip.count() < options.roundTrips()) {
            errors.add("round trip: only " + roundTrip.count() + " of " + options.roundTrips()
                    + " measured within the " + options.phaseTimeout().toSeconds() + " s limit");
        }
        if (throughput != null && !throughput.complete()) {
            errors.add("throughput: only " + throughput.messages() + " of " + options.messages()
                    + " confirmed within the " + options.phaseTimeout().toSeconds() + " s limit");
        }
        return new TargetResult(name, url.toString(), roundTrip, throughput, errors.isEmpty() ? null : String.join("; ", errors));
    }

    private static TargetResult measureEmbedded(BenchOptions options) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("hostops-bench-broker");
            try (EmbeddedBroker broker = EmbeddedBroker.inDirectory(dir)) {
                broker.start();
                return measure("embedded-mqtt", broker.url(), options);
            }
        } catch (IOException | RuntimeException e) {
            return new TargetResult("embedded-mqtt", "embedded", null, null, "could not start: " + describe(e));
        } finally {
            deleteQuietly(dir);
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    /** Prints the report as JSON on stdout; exit status 2 on bad arguments, 1 if a target failed. */
    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("hostops bench transport: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        BenchReport report = run(options);
        System.out.println(report.toJson());
        boolean failed = report.targets().stream().anyMatch(r -> r.error() != null);
        System.exit(failed ? 1 : 0);
    }

    static final String USAGE = """
            usage: TransportBench [--embedded] [--target name=url]... [--warmup N] [--round-trips N]
                                  [--messages N] [--in-flight N] [--payload BYTES] [--timeout-seconds N] [--no-tcp-floor]
              --embedded       also measure the embedded MQTT broker, started in this JVM
              --target         a broker, e.g. mosquitto=mqtt://127.0.0.1:1883 or rabbitmq=amqp://guest:guest@127.0.0.1:5672
            """;

    static BenchOptions parse(String[] args) {
        List<BenchTarget> targets = new ArrayList<>();
        boolean embedded = false;
        boolean floor = true;
        int warmup = BenchOptions.DEFAULT_WARMUP;
        int roundTrips = BenchOptions.DEFAULT_ROUND_TRIPS;
        int messages = BenchOptions.DEFAULT_MESSAGES;
        int inFlight = BenchOptions.DEFAULT_MAX_IN_FLIGHT;
        int payload = BenchOptions.DEFAULT_PAYLOAD_BYTES;
        Duration timeout = BenchOptions.DEFAULT_PHASE_TIMEOUT;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--embedded" -> embedded = true;
                case "--no-tcp-floor" -> floor = false;
                case "--target" -> targets.add(BenchTarget.parse(value(args, ++i, a)));
                case "--warmup" -> warmup = number(args, ++i, a);
                case "--round-trips" -> roundTrips = number(args, ++i, a);
                case "--messages" -> messages = number(args, ++i, a);
                case "--in-flight" -> inFlight = number(args, ++i, a);
                case "--payload" -> payload = number(args, ++i, a);
                case "--timeout-seconds" -> timeout = Duration.ofSeconds(number(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
        }
        return new BenchOptions(targets, embedded, warmup, roundTrips, messages, inFlight, payload, floor, timeout);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int number(String[] args, int i, String flag) {
        String v = value(args, i, flag);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number, not '" + v + "'");
        }
    }
}
