package dev.hostops.node.hostile;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.embedded.EmbeddedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;

/**
 * The MQTT broker of the hostile suite: {@code HOSTOPS_TEST_MQTT_URL} when set, else the local
 * Mosquitto on 127.0.0.1:1883 when it answers, else one embedded broker for the test JVM. Every
 * test class has its own node id, so classes may share it.
 */
final class Brokers {
    private static BrokerUrl url;

    private Brokers() {}

    static synchronized BrokerUrl mqtt() {
        if (url != null) {
            return url;
        }
        String env = System.getenv("HOSTOPS_TEST_MQTT_URL");
        if (env != null && !env.isBlank()) {
            url = BrokerUrl.parse(env);
        } else if (answers()) {
            url = BrokerUrl.parse("mqtt://127.0.0.1:1883");
        } else {
            try {
                EmbeddedBroker embedded = EmbeddedBroker.inDirectory(Files.createTempDirectory("hostops-hostile-broker"));
                embedded.start();
                Runtime.getRuntime().addShutdownHook(new Thread(embedded::stop));
                url = embedded.url();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return url;
    }

    private static boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 1883), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
