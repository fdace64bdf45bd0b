/**
 * The embedded MQTT broker (HiveMQ Community Edition in this JVM) for the one-machine setup
 * ({@code hostops broker run}, {@code hostops quickstart}) and for tests:
 * {@link dev.hostops.broker.embedded.EmbeddedBroker}.
 */
package dev.hostops.broker.embedded;
