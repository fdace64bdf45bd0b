package dev.hostops.broker.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Cheap checks for what a test machine has. */
public final class Probes {
    private Probes() {}

    /** True if something accepts a TCP connection there within 300 ms. */
    public static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True if Testcontainers can run containers. Testcontainers' own check tries several
     * strategies and can take seconds, so it only runs when a Docker endpoint is configured at all.
     */
    public static boolean dockerAvailable() {
        boolean configured = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        if (!configured) {
            return false;
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false; // no Docker is an ordinary situation here, never a test failure
        }
    }
}
