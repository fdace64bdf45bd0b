package dev.hostops.dispatcher.testing;

import dev.hostops.broker.testing.MosquittoProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dispatcher test class's setting: one real Mosquitto per class (started with the project's
 * config), and a fresh dispatcher with its HTTP API per test, closed after it.
 */
public abstract class OnMosquitto {
    @TempDir
    static Path brokerDir;
    protected static MosquittoProcess mosquitto;

    @TempDir
    protected Path dir;
    protected Harness harness;
    protected Api api;

    @BeforeAll
    static void startBroker() {
        mosquitto = MosquittoProcess.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    /** How long after its node goes offline a running command turns LOST, for this class. */
    protected Duration lostGrace() {
        return Duration.ofSeconds(60);
    }

    @BeforeEach
    void startDispatcher() {
        harness = new Harness(dir, mosquitto.url(), lostGrace());
        api = harness.api();
    }

    @AfterEach
    void closeDispatcher() {
        harness.close();
    }
}
