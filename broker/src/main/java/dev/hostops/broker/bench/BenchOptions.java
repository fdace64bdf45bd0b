package dev.hostops.broker.bench;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the transport benchmark measures and how much.
 *
 * @param targets        brokers to measure, in order
 * @param embeddedMqtt   also start the embedded MQTT broker in this JVM and measure it first
 * @param warmup         round trips done before measuring (JIT, connection, broker caches)
 * @param roundTrips     measured round trips per target, one at a time
 * @param messages       messages in the throughput run per target
 * @param maxInFlight    publishes waiting for their acknowledgement at most, in the throughput run
 * @param payloadBytes   message size
 * @param tcpFloor       also measure a raw TCP echo on loopback, the floor for any round trip
 * @param phaseTimeout   a phase that takes longer is stopped and reported as failed, so a run stays bounded
 */
public record BenchOptions(List<BenchTarget> targets, boolean embeddedMqtt, int warmup, int roundTrips,
        int messages, int maxInFlight, int payloadBytes, boolean tcpFloor, Duration phaseTimeout) {

    public static final int DEFAULT_WARMUP = 500;
    public static final int DEFAULT_ROUND_TRIPS = 2_000;
    public static final int DEFAULT_MESSAGES = 20_000;
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;
    public static final int DEFAULT_PAYLOAD_BYTES = 256;
    public static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

    public BenchOptions {
        targets = List.copyOf(Objects.requireNonNull(targets, "targets must not be null"));
        require(warmup >= 0, "warmup must not be negative");
        require(roundTrips > 0, "roundTrips must be positive");
        require(messages > 0, "messages must be positive");
        require(maxInFlight > 0, "maxInFlight must be positive");
        require(payloadBytes >= 8, "payloadBytes must be at least 8 (the sequence number)");
        phaseTimeout = phaseTimeout == null ? DEFAULT_PHASE_TIMEOUT : phaseTimeout;
        require(targets.size() > 0 || embeddedMqtt || tcpFloor, "nothing to measure: give a target or the embedded broker");
    }

    /** The defaults, for the given targets, with the TCP floor and without the embedded broker. */
    public static BenchOptions of(List<BenchTarget> targets) {
        return new BenchOptions(targets, false, DEFAULT_WARMUP, DEFAULT_ROUND_TRIPS, DEFAULT_MESSAGES,
                DEFAULT_MAX_IN_FLIGHT, DEFAULT_PAYLOAD_BYTES, true, DEFAULT_PHASE_TIMEOUT);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
