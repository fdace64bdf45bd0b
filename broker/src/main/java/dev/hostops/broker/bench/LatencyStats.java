package dev.hostops.broker.bench;

import org.HdrHistogram.Histogram;

/** Latency percentiles in microseconds. */
public record LatencyStats(long count, double p50Micros, double p90Micros, double p99Micros, double maxMicros,
        double meanMicros) {

    /** A histogram of nanosecond values, as recorded by the measurements. */
    static Histogram newHistogram() {
        return new Histogram(60_000_000_000L, 3); // up to a minute, 3 significant digits
    }

    static LatencyStats of(Histogram h) {
        return new LatencyStats(h.getTotalCount(), micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(90)),
                micros(h.getValueAtPercentile(99)), micros(h.getMaxValue()), Math.round(h.getMean() / 100.0) / 10.0);
    }

    private static double micros(long nanos) {
        return Math.round(nanos / 100.0) / 10.0; // one decimal
    }
}
