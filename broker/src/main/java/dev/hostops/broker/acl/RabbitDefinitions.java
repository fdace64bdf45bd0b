package dev.hostops.broker.acl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * RabbitMQ {@code definitions.json} for a plan, in the shape of broker/config/rabbitmq: one vhost,
 * a user per principal, queue permissions limited to its own {@code hostops.client.*} queue (a
 * node's is {@code hostops.client.hostops-node-<id>}, as its agent names it), and
 * topic permissions on {@code amq.topic} with one routing-key regex per node.
 */
final class RabbitDefinitions {
    private static final String NODE_KEY = "hostops\\.v1\\.node\\.";
    private static final String ANY_NODE = "(\\*|[A-Za-z0-9_-]+)";

    private RabbitDefinitions() {}

    static String render(AclPlan plan, List<Credential> credentials) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("rabbit_version", "3.10.8");
        root.putArray("vhosts").addObject().put("name", plan.vhost());
        ArrayNode users = root.putArray("users");
        for (Credential c : credentials) {
            ObjectNode u = users.addObject();
            u.put("name", c.amqpUser());
            u.put("password_hash", PasswordHashes.rabbitSha256(c.password()));
            u.put("hashing_algorithm", "rabbit_password_hashing_sha256");
            u.putArray("tags");
        }
        ArrayNode permissions = root.putArray("permissions");
        ArrayNode topics = root.putArray("topic_permissions");
        for (String node : plan.nodes()) {
            // The agent's queue is hostops.client.<its client id>, and its client id is
            // hostops-node-<id> (NodeConfig.clientId). Only that name: with <id> alone too, a node
            // named hostops-node-B could take node B's queue.
            String queue = "hostops\\.client\\.hostops-node-" + node;
            permission(permissions, plan, AclPlan.amqpUser(node), "^" + queue + "$",
                    "^(amq\\.topic|" + queue + ")$", "^(amq\\.topic|" + queue + ")$");
            topic(topics, plan, AclPlan.amqpUser(node),
                    "^" + NODE_KEY + node + "\\.(presence|state|log|result|approval)$",
                    "^" + NODE_KEY + node + "\\.(cmd|control)$");
        }
        String dispatcherQueue = "hostops\\.client\\.dispatcher[A-Za-z0-9_.-]*";
        permission(permissions, plan, plan.dispatcher(), "^" + dispatcherQueue + "$",
                "^(amq\\.topic|" + dispatcherQueue + ")$", "^(amq\\.topic|" + dispatcherQueue + ")$");
        topic(topics, plan, plan.dispatcher(),
                "^" + NODE_KEY + "[A-Za-z0-9_-]+\\.(cmd|control)$",
                "^" + NODE_KEY + ANY_NODE + "\\.(cmd|control|presence|state|log|result|approval)$");
        // The dashboard may bind its own queue (write on the queue, read on the exchange) but has no
        // write on amq.topic, so it cannot publish anything.
        String dashboardQueue = "hostops\\.client\\.dashboard[A-Za-z0-9_.-]*";
        permission(permissions, plan, plan.dashboard(), "^" + dashboardQueue + "$",
                "^" + dashboardQueue + "$", "^(amq\\.topic|" + dashboardQueue + ")$");
        topic(topics, plan, plan.dashboard(), "^$",
                "^" + NODE_KEY + ANY_NODE + "\\.(cmd|control|presence|state|log|result|approval)$");
        for (String empty : List.of("parameters", "policies", "queues", "exchanges", "bindings")) {
            root.putArray(empty);
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }

    private static void permission(ArrayNode out, AclPlan plan, String user, String configure, String write, String read) {
        out.addObject().put("user", user).put("vhost", plan.vhost())
                .put("configure", configure).put("write", write).put("read", read);
    }

    private static void topic(ArrayNode out, AclPlan plan, String user, String write, String read) {
        out.addObject().put("user", user).put("vhost", plan.vhost()).put("exchange", "amq.topic")
                .put("write", write).put("read", read);
    }
}
