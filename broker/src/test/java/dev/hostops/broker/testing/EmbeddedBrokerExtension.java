package dev.hostops.broker.testing;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.embedded.EmbeddedBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private embedded MQTT broker for one test class, on a free port with its own data directory;
 * the test may stop and start it. Use as a static field:
 * <pre>{@code @RegisterExtension static final EmbeddedBrokerExtension BROKER = new EmbeddedBrokerExtension();}</pre>
 */
public final class EmbeddedBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private Path dataDir;
    private EmbeddedBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("hostops-embedded-test");
        broker = EmbeddedBroker.inDirectory(dataDir);
        broker.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (broker != null) {
            broker.stop();
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public EmbeddedBroker broker() {
        return broker;
    }

    public BrokerUrl url() {
        return broker.url();
    }
}
