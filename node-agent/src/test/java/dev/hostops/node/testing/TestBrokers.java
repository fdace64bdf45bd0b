package dev.hostops.node.testing;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.embedded.EmbeddedBroker;
import dev.hostops.broker.testing.MosquittoProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;

/**
 * The MQTT broker every end-to-end test of the node agent uses (one per test JVM): {@code HOSTOPS_TEST_MQTT_URL} when set,
 * else a Mosquitto started for this test JVM with the project's config when the binary is there,
 * else the local Mosquitto on 127.0.0.1:1883 when it answers, else one embedded broker for the
 * whole test JVM. Every test uses its own node id, so they may share it.
 */
public final class TestBrokers {
    private static BrokerUrl url;
    private static EmbeddedBroker embedded;
    private static MosquittoProcess mosquitto;

    private TestBrokers() {}

    public static synchronized BrokerUrl mqtt() {
        if (url != null) {
            return url;
        }
        String env = System.getenv("HOSTOPS_TEST_MQTT_URL");
        if (env != null && !env.isBlank()) {
            url = BrokerUrl.parse(env);
        } else if (MosquittoProcess.binary().isPresent()) {
            // A Mosquitto of our own with the project's config (no Nagle delay, deep queues): the
            // machine's stock one on 1883 delays every acknowledgement by ~40 ms and drops QoS 1
            // messages beyond 1,000 queued per client, which a burst test exceeds.
            try {
                mosquitto = MosquittoProcess.start(Files.createTempDirectory("hostops-node-it-mosquitto"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(mosquitto::close));
            url = mosquitto.url();
        } else if (answers("127.0.0.1", 1883)) {
            url = BrokerUrl.parse("mqtt://127.0.0.1:1883");
        } else {
            try {
                embedded = EmbeddedBroker.inDirectory(Files.createTempDirectory("hostops-node-it-broker"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            embedded.start();
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::stop));
            url = embedded.url();
        }
        System.out.println("[node-agent tests] broker: " + url);
        return url;
    }

    private static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
