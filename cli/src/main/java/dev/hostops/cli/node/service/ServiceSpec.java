package dev.hostops.cli.node.service;

import java.nio.file.Path;
import dev.hostops.node.NodeJvmOptions;
import java.util.List;

/**
 * What a service manager needs to run the node agent: the java executable, the jar, the agent's
 * config file, and the account-independent working directory.
 *
 * @param name the service name, e.g. {@code hostops-node}
 */
public record ServiceSpec(String name, Path java, Path jar, Path config, Path workingDirectory) {
    public ServiceSpec {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("service name must match [A-Za-z0-9_.-]{1,64}, not '" + name + "'");
        }
    }

    /** The command line the service runs. */
    public List<String> command() {
        return NodeJvmOptions.command(java, jar, List.of("node", "run", "--config", config.toString()));
    }
}
