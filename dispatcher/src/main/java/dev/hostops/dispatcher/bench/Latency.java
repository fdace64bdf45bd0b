package dev.hostops.dispatcher.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** Latency figures of one measurement, in milliseconds. */
public record Latency(long count, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
    public static Latency of(Histogram h) {
        return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
    }

    /** Up to a minute, three significant digits, values in nanoseconds. */
    public static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
