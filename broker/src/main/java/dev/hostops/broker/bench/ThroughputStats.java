package dev.hostops.broker.bench;

/**
 * One-way QoS 1 throughput of one publisher to one subscriber.
 *
 * @param confirmedPerSecond messages per second acknowledged by the broker (PUBACK, publisher confirm)
 * @param deliveredPerSecond messages per second received by the subscriber
 * @param complete           false when the phase time limit stopped the run: then {@code messages} is
 *                           how many were confirmed by then and the rates are over the time limit
 */
public record ThroughputStats(int messages, int maxInFlight, double seconds, double confirmedPerSecond,
        double deliveredPerSecond, boolean complete) {}
