package dev.hostops.node.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** Latency figures of one measurement, in milliseconds. */
public record Stats(long count, double p50Ms, double p99Ms, double maxMs, double meanMs) {
    public static Stats of(Histogram h) {
        return new Stats(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue()), h.getMean() / TimeUnit.MILLISECONDS.toNanos(1));
    }

    public static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
