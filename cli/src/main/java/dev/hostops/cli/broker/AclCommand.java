package dev.hostops.cli.broker;

import dev.hostops.broker.acl.AclFiles;
import dev.hostops.broker.acl.AclPlan;
import dev.hostops.broker.acl.Credential;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostops broker acl}: new random credentials and access rules for a set of nodes, for
 * Mosquitto ({@code passwd}, {@code acl}) and RabbitMQ ({@code definitions.json}), plus a
 * {@code credentials} file with the passwords (mode 0600) to hand to each node and the dispatcher.
 */
@Command(name = "acl", mixinStandardHelpOptions = true,
        description = "Generate broker users, passwords and ACLs: each node reads only its own commands and writes only its own reports.",
        footer = {"", "Writes into --out: passwd and acl (Mosquitto), definitions.json (RabbitMQ), credentials (0600).",
                "Mosquitto: password_file <out>/passwd, acl_file <out>/acl; RabbitMQ: load_definitions or "
                        + "rabbitmqctl import_definitions <out>/definitions.json. Node N logs in as N (MQTT) or hostops-node-N (AMQP).",
                "", "Example:", "  hostops broker acl --node HostOps-Win --node build-1 --out ./broker-secrets"})
public final class AclCommand implements Callable<Integer> {
    @Option(names = "--node", required = true, paramLabel = "ID", description = "A node id (repeat for each node).")
    List<String> nodes;

    @Option(names = "--dispatcher", defaultValue = AclPlan.DEFAULT_DISPATCHER, description = "Dispatcher user (default ${DEFAULT-VALUE}).")
    String dispatcher;

    @Option(names = "--dashboard", defaultValue = AclPlan.DEFAULT_DASHBOARD, description = "Read-only dashboard user (default ${DEFAULT-VALUE}).")
    String dashboard;

    @Option(names = "--vhost", defaultValue = AclPlan.DEFAULT_VHOST, description = "RabbitMQ virtual host (default ${DEFAULT-VALUE}).")
    String vhost;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the generated files.")
    Path out;

    @Option(names = "--force", description = "Replace existing files (all passwords change).")
    boolean force;

    @Override
    public Integer call() {
        AclPlan plan;
        try {
            plan = new AclPlan(nodes, dispatcher, dashboard, vhost);
        } catch (IllegalArgumentException e) {
            System.err.println("hostops broker acl: " + e.getMessage());
            return 2;
        }
        List<Credential> credentials = AclFiles.newCredentials(plan);
        try {
            for (Path file : AclFiles.write(plan, credentials, out, force)) {
                System.out.println("wrote " + file);
            }
        } catch (UncheckedIOException e) {
            System.err.println("hostops broker acl: " + e.getMessage());
            return 1;
        }
        System.out.println(credentials.size() + " users; passwords are in " + out.resolve(AclFiles.CREDENTIALS) + " (keep it secret)");
        return 0;
    }
}
