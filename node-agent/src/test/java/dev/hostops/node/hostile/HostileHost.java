package dev.hostops.node.hostile;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeConfig;
import dev.hostops.node.store.NodeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A node's host laid out for attacks. {@code bin/} and {@code out/} are allowed folders;
 * {@code work/} (the workdir) and the root are not. Every planted program is a shell script that
 * leaves a marker file named after itself in {@code markers/}, so "nothing ran" is a fact on disk:
 * the markers folder is empty.
 */
final class HostileHost {
    final Path root;
    final Path bin;
    final Path out;
    final Path work;
    final Path markers;
    final Path data;
    final Path policy;
    final String node;

    HostileHost(Path dir, String node, String ask) throws IOException {
        this.root = dir.toRealPath();
        this.node = node;
        this.bin = Files.createDirectories(root.resolve("bin"));
        this.out = Files.createDirectories(root.resolve("out"));
        this.work = Files.createDirectories(root.resolve("work"));
        this.markers = Files.createDirectories(root.resolve("markers"));
        this.data = root.resolve("data");
        this.policy = root.resolve("policy.yaml");
        Files.writeString(policy, String.join("\n",
                "security: allowlist",
                "ask: " + ask,
                "askFallback: deny",
                "approvalTimeout: 30s",
                "allow:",
                "  - path: \"/usr/bin/echo\"",
                "  - path: \"/usr/bin/true\"",
                // shells are allowlisted on purpose: the wrapper rule must still stop `sh -c`
                "  - path: \"" + Path.of("/usr/bin/sh").toRealPath() + "\"",
                "  - path: \"" + Path.of("/usr/bin/bash").toRealPath() + "\"",
                "  - path: \"" + bin + "/*\"",
                "  - path: \"" + out + "/*\"",
                "deny:",
                "  - path: \"**/git*\"",
                "    args: [\"reset --hard*\"]",
                ""));
    }

    /** Writes a script at {@code path} that touches {@code markers/<name>} when it runs. */
    Path plant(Path path, String name) throws IOException {
        Files.createDirectories(path.getParent());
        Files.writeString(path, "#!/bin/sh\n/usr/bin/touch \"" + markers.resolve(name) + "\"\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }

    /** The marker files left so far: empty means no planted program (and no touch on a marker) ran. */
    List<String> markersLeft() throws IOException {
        try (Stream<Path> s = Files.list(markers)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    NodeAgent start(BrokerUrl broker) throws Exception {
        NodeAgent agent = new NodeAgent(new NodeConfig(broker, node, policy, data, 4, Duration.ofMinutes(1),
                Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofDays(1), NodeStore.Durability.NORMAL,
                Map.of("suite", "hostile"), null, null));
        agent.start();
        return agent;
    }
}
