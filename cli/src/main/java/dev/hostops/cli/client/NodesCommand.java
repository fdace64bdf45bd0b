package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hostops.contracts.ContractViolation;
import dev.hostops.contracts.NodeId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code hostops nodes [ID]}: the nodes the dispatcher has heard of, or one node. */
@Command(name = "nodes", mixinStandardHelpOptions = true, description = "List nodes and their presence, or show one node.",
        footer = {"", "Examples:", "  hostops nodes", "  hostops nodes HostOps-Win --json"})
public final class NodesCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(arity = "0..1", paramLabel = "NODE", description = "Show only this node.")
    String node;

    /**
     * The policy in force on the node, as the first 12 hex digits of its digest (what {@code
     * hostops policy check} prints in full on the host): enough to see which nodes share a policy
     * and that an edit reached a node.
     */
    static String shortDigest(String digest) {
        String hex = digest.startsWith("sha256:") ? digest.substring("sha256:".length()) : digest;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    @Override
    public Integer call() {
        try {
            if (node != null) {
                NodeId.require(node, "NODE");
            }
        } catch (ContractViolation e) {
            // Said here: the dispatcher would answer that no such node has been seen, as if it could be.
            System.err.println("hostops nodes: invalid node id: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        }
        try {
            JsonNode data = client.client().get(node == null ? "/v1/nodes" : "/v1/nodes/" + node);
            if (client.json) {
                System.out.println(data.toPrettyString());
                return 0;
            }
            Table t = new Table("NODE", "STATE", "OS", "HOST", "VERSION", "POLICY", "SINCE", "LABELS");
            for (JsonNode n : Json.items(data, "nodes")) {
                t.row(n.path("node").asText(n.path("id").asText()), n.path("state").asText(), n.path("os").asText(),
                        n.path("hostname").asText(), n.path("agentVersion").asText(), shortDigest(n.path("policyDigest").asText()),
                        n.path("since").asText(n.path("at").asText()), Json.labels(n.path("labels")));
            }
            t.print();
            return 0;
        } catch (ApiException e) {
            System.err.println("hostops nodes: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        }
    }
}
