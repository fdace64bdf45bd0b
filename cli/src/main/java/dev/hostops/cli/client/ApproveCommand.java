package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hostops approve ID allow-once|allow-always|deny}: answers an approval request. */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Answer an approval request: allow-once, allow-always or deny.",
                "allow-always also adds the exact program and arguments to the node's approved list, "
                        + "where its administrator can see and remove it."},
        footer = {"", "Examples:", "  hostops approve 0193a6c2-... allow-once", "  hostops approve 0193a6c2-... deny --reason 'not during business hours'"})
public final class ApproveCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    /** The command that answers approval request {@code id}, as the other commands print it for a person to type. */
    static String answerLine(String id) {
        return "hostops approve " + id + " allow-once | allow-always | deny";
    }

    @Parameters(index = "0", paramLabel = "ID",
            description = "The approval request's id, which is the id of the command it is about (hostops approvals lists them).")
    String id;

    @Parameters(index = "1", paramLabel = "DECISION", description = "allow-once, allow-always or deny") String decision;

    @Option(names = "--reason", paramLabel = "TEXT",
            description = "Why: sent to the node with the decision, kept in both audit logs; a denied command's error says it.")
    String reason;

    @Override
    public Integer call() {
        String d = decision.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        if (!d.equals("allow-once") && !d.equals("allow-always") && !d.equals("deny")) {
            System.err.println("hostops approve: the decision must be allow-once, allow-always or deny, not '" + decision + "'");
            return ExitCodes.CLIENT_ERROR;
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("decision", d);
        if (reason != null) {
            body.put("reason", reason);
        }
        try {
            JsonNode r = client.client().post("/v1/approvals/" + CommandsCommand.enc(id), body);
            System.out.println(client.json ? r.toPrettyString() : d + " sent for " + id);
            return 0;
        } catch (ApiException e) {
            System.err.println("hostops approve: " + e.getMessage());
            return ExitCodes.CLIENT_ERROR;
        }
    }
}
