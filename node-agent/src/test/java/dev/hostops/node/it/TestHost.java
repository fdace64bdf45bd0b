package dev.hostops.node.it;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeConfig;
import dev.hostops.node.store.NodeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

/**
 * A node's host for tests: a temp directory with a bin folder of small scripts, a workdir, a
 * policy file and a data directory, and agents started on it.
 */
final class TestHost {
    final Path root;
    final Path bin;
    final Path work;
    final Path data;
    final Path policy;
    final String node;

    TestHost(Path root, String node) throws IOException {
        this.root = root.toRealPath();
        this.node = node;
        this.bin = Files.createDirectories(this.root.resolve("bin"));
        this.work = Files.createDirectories(this.root.resolve("work"));
        this.data = this.root.resolve("data");
        this.policy = this.root.resolve("policy.yaml");
        writePolicy("allowlist", "off");
    }

    /** An allowlist of a few system programs and this host's bin folder; deny rules for destructive git. */
    void writePolicy(String security, String ask) throws IOException {
        Files.writeString(policy, String.join("\n",
                "security: " + security,
                "ask: " + ask,
                "askFallback: deny",
                "approvalTimeout: 20s",
                "allow:",
                "  - path: \"/usr/bin/echo\"",
                "  - path: \"/usr/bin/printf\"",
                "  - path: \"/usr/bin/head\"",
                "  - path: \"/usr/bin/cat\"",
                "  - path: \"/usr/bin/true\"",
                "  - path: \"" + bin + "/*\"",
                "deny:",
                "  - path: \"**/git*\"",
                "    args: [\"reset --hard*\", \"clean -*\"]",
                ""));
    }

    /** Writes an executable shell script into bin and returns its path. */
    Path script(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    NodeConfig config(BrokerUrl broker, NodeStore.Durability durability) {
        return config(broker, durability, 4);
    }

    NodeConfig config(BrokerUrl broker, NodeStore.Durability durability, int maxConcurrency) {
        return new NodeConfig(broker, node, policy, data, maxConcurrency, Duration.ofMinutes(1), Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ofDays(1), durability, Map.of("test", "true"), null, null);
    }

    NodeAgent start(BrokerUrl broker) throws Exception {
        NodeAgent agent = new NodeAgent(config(broker, NodeStore.Durability.NORMAL));
        agent.start();
        return agent;
    }
}
