/**
 * The transport benchmark behind {@code hostops bench transport}: publish-to-reply round trip and
 * confirmed one-way throughput over each broker given, with a raw TCP echo on loopback as the floor.
 * Entry points: {@link dev.hostops.broker.bench.TransportBench#run} and its {@code main}.
 */
package dev.hostops.broker.bench;
