package dev.hostops.contracts.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.SecurityMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Run a program on a node. Exactly one of {@code argv} (run without a shell) and
 * {@code command} (split into argv by {@link dev.hostops.contracts.CommandLine} rules) is given.
 *
 * @param timeoutMs   the execution limit; null means the node's default
 * @param expiresAt   the delivery deadline: a command not started by then never runs
 * @param security    may only make the node's own policy stricter
 * @param ask         may only make the node's own policy stricter
 * @param replyTo     reserved for a future reply topic; carried, not used
 * @param signature   a detached signature (trust boundary); optional
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Exec(
        String id,
        String node,
        List<String> argv,
        String command,
        String workdir,
        Map<String, String> env,
        Long timeoutMs,
        Instant expiresAt,
        SecurityMode security,
        AskMode ask,
        String requestedBy,
        String replyTo,
        Map<String, String> labels,
        Signature signature) implements Message {

    public static final int MAX_ARGS = 4096;

    public Exec {
        Checks.id(id);
        Checks.node(node);
        argv = argv == null ? null : List.copyOf(argv);
        env = Checks.map(env);
        labels = Checks.map(labels);
        if (argv == null && command == null) {
            throw new IllegalArgumentException("argv is required (or a command string)");
        }
        if (argv != null && command != null) {
            throw new IllegalArgumentException("argv and command are exclusive: send one");
        }
        if (argv != null && argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        if (argv != null && argv.size() > MAX_ARGS) {
            throw new IllegalArgumentException("argv must have at most " + MAX_ARGS + " elements");
        }
        if (command != null && command.isBlank()) {
            throw new IllegalArgumentException("command must not be blank");
        }
        if (timeoutMs != null && timeoutMs <= 0) {
            throw new IllegalArgumentException("timeoutMs must be positive");
        }
    }

    /** A command with argv and nothing else set. */
    public static Exec of(String id, String node, List<String> argv) {
        return new Exec(id, node, argv, null, null, null, null, null, null, null, null, null, null, null);
    }

    public Exec withWorkdir(String dir) {
        return new Exec(id, node, argv, command, dir, env, timeoutMs, expiresAt, security, ask, requestedBy, replyTo, labels, signature);
    }

    public Exec withTimeoutMs(Long ms) {
        return new Exec(id, node, argv, command, workdir, env, ms, expiresAt, security, ask, requestedBy, replyTo, labels, signature);
    }

    public Exec withExpiresAt(Instant at) {
        return new Exec(id, node, argv, command, workdir, env, timeoutMs, at, security, ask, requestedBy, replyTo, labels, signature);
    }

    public Exec withEnv(Map<String, String> e) {
        return new Exec(id, node, argv, command, workdir, e, timeoutMs, expiresAt, security, ask, requestedBy, replyTo, labels, signature);
    }

    public Exec withPolicy(SecurityMode s, AskMode a) {
        return new Exec(id, node, argv, command, workdir, env, timeoutMs, expiresAt, s, a, requestedBy, replyTo, labels, signature);
    }

    public Exec withRequestedBy(String who) {
        return new Exec(id, node, argv, command, workdir, env, timeoutMs, expiresAt, security, ask, who, replyTo, labels, signature);
    }

    public Exec withSignature(Signature sig) {
        return new Exec(id, node, argv, command, workdir, env, timeoutMs, expiresAt, security, ask, requestedBy, replyTo, labels, sig);
    }

    /** A copy for another node (fan-out) with its own id. */
    public Exec forNode(String newId, String newNode) {
        return new Exec(newId, newNode, argv, command, workdir, env, timeoutMs, expiresAt, security, ask, requestedBy, replyTo, labels, null);
    }
}
