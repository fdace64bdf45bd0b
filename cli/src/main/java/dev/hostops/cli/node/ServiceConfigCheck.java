package dev.hostops.cli.node;

import dev.hostops.node.NodeConfig;
import dev.hostops.node.NodeConfigLoader;
import dev.hostops.node.policy.HostModel;
import dev.hostops.node.policy.Policy;
import dev.hostops.node.policy.PolicyException;
import dev.hostops.node.policy.PolicyLint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code hostops node install} checks before it registers a service: that the service will
 * start with this config file (every setting known and valid, the policy readable and valid), so a
 * mistake shows here and not as a service that restarts every two seconds. The service reads the
 * file alone, so the environment of this shell is not consulted.
 */
final class ServiceConfigCheck {
    private ServiceConfigCheck() {}

    /**
     * @return the policy's entries that can never match on this host (worth a warning, not a refusal)
     * @throws IllegalArgumentException with a sentence naming the file when the service would not start
     */
    static List<PolicyLint.Warning> check(Path configFile) {
        NodeConfig config;
        try {
            config = new NodeConfigLoader().file(configFile).build();
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // names the file's whole path and why
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the config " + configFile + " would not start the agent: " + e.getMessage(), e);
        }
        Policy policy;
        try {
            policy = Policy.load(config.policyFile());
        } catch (PolicyException e) {
            throw new IllegalArgumentException("the config " + configFile + " names a policy the agent would refuse: "
                    + e.getMessage(), e);
        }
        return PolicyLint.check(policy, HostModel.current());
    }
}
