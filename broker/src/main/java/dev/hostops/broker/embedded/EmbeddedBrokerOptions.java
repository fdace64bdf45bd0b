package dev.hostops.broker.embedded;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how the embedded broker runs.
 *
 * @param dataDir     its own directory: generated configuration, retained messages and persistent
 *                    sessions live here and survive a stop and start with the same directory
 * @param port        the MQTT port; 0 picks a free one when the broker first starts and keeps it
 * @param bindAddress the address to listen on; loopback by default, since the broker accepts anyone
 */
public record EmbeddedBrokerOptions(Path dataDir, int port, String bindAddress) {
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

    public EmbeddedBrokerOptions {
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (pick a free one) to 65535, not " + port);
        }
        bindAddress = bindAddress == null || bindAddress.isBlank() ? DEFAULT_BIND_ADDRESS : bindAddress;
    }

    /** A broker on a free port on 127.0.0.1. */
    public static EmbeddedBrokerOptions of(Path dataDir) {
        return new EmbeddedBrokerOptions(dataDir, 0, DEFAULT_BIND_ADDRESS);
    }

    public EmbeddedBrokerOptions withPort(int p) {
        return new EmbeddedBrokerOptions(dataDir, p, bindAddress);
    }
}
