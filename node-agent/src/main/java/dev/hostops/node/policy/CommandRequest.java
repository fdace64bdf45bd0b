package dev.hostops.node.policy;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.SecurityMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a command asks to run, as the policy judges it.
 *
 * @param argv     the program and its arguments (argv[0] as sent: a name, a relative or an absolute path)
 * @param workdir  the working directory as sent, or null for the agent's own
 * @param env      variables the command sets (never null after construction)
 * @param security the command's own security mode, or null; it can only make the node's stricter
 * @param ask      the command's own ask mode, or null; it can only make the node's stricter
 */
public record CommandRequest(List<String> argv, String workdir, Map<String, String> env, SecurityMode security, AskMode ask) {
    public CommandRequest {
        Objects.requireNonNull(argv, "argv must not be null");
        // Null elements are kept (not thrown on) so that the engine can refuse them with INVALID_FIELD.
        argv = Collections.unmodifiableList(new ArrayList<>(argv));
        env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }
}
