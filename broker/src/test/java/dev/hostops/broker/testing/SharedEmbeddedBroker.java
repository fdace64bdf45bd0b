package dev.hostops.broker.testing;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.embedded.EmbeddedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** One embedded broker per test JVM, started on first use and stopped when the JVM exits. */
final class SharedEmbeddedBroker {
    private static EmbeddedBroker broker;

    private SharedEmbeddedBroker() {}

    static synchronized BrokerUrl url() {
        if (broker == null) {
            try {
                EmbeddedBroker b = EmbeddedBroker.inDirectory(Files.createTempDirectory("hostops-embedded-mqtt"));
                b.start();
                Runtime.getRuntime().addShutdownHook(new Thread(b::stop, "hostops-embedded-mqtt-stop"));
                broker = b;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return broker.url();
    }
}
