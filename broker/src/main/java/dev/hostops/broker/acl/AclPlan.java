package dev.hostops.broker.acl;

import dev.hostops.contracts.NodeId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who gets credentials. Node ids double as their MQTT user names (so the ACL can tie a node to its
 * own topics); the dispatcher and dashboard user names must not collide with a node id.
 *
 * @param nodes      node ids, each matching {@code [A-Za-z0-9_-]{1,64}}, no duplicates
 * @param dispatcher user name of the dispatcher
 * @param dashboard  user name of the read-only dashboard
 * @param vhost      RabbitMQ virtual host the definitions are for
 */
public record AclPlan(List<String> nodes, String dispatcher, String dashboard, String vhost) {
    public static final String DEFAULT_DISPATCHER = "hostops-dispatcher";
    public static final String DEFAULT_DASHBOARD = "hostops-dashboard";
    public static final String DEFAULT_VHOST = "hostops";

    public AclPlan {
        Objects.requireNonNull(nodes, "nodes must not be null.");
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("nodes must name at least one node id.");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String node : nodes) {
            NodeId.require(node, "node");
            if (!seen.add(node)) {
                throw new IllegalArgumentException("node " + node + " is listed twice.");
            }
        }
        nodes = List.copyOf(nodes);
        requireUser(dispatcher, "dispatcher");
        requireUser(dashboard, "dashboard");
        if (dispatcher.equals(dashboard)) {
            throw new IllegalArgumentException("dispatcher and dashboard must be different users.");
        }
        if (seen.contains(dispatcher) || seen.contains(dashboard)) {
            throw new IllegalArgumentException("a node id must not equal the dispatcher or dashboard user name.");
        }
        if (vhost == null || vhost.isBlank()) {
            throw new IllegalArgumentException("vhost must not be blank.");
        }
    }

    /** The RabbitMQ user of a node: {@code hostops-node-<id>}, as in broker/config/rabbitmq. */
    public static String amqpUser(String node) {
        return "hostops-node-" + node;
    }

    private static void requireUser(String user, String field) {
        if (user == null || !user.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException(field + " user must match [A-Za-z0-9_.-]{1,64}, got: " + user);
        }
    }
}
