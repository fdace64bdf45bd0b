package dev.hostops.broker.bench;

/**
 * The figures of one broker; a phase that failed is null and {@code error} says why.
 *
 * @param url the broker URL without its password
 */
public record TargetResult(String name, String url, LatencyStats roundTrip, ThroughputStats throughput, String error) {}
