package dev.hostops.contracts.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.CommandLine;
import dev.hostops.contracts.ContractViolation;
import dev.hostops.contracts.ErrorCode;
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
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Exec(
        String id,
        String node,
        List<String> argv,
        String command,
        String workdir,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> env,
        Long timeoutMs,
        Instant expiresAt,
        SecurityMode security,
        AskMode ask,
        String requestedBy,
        String replyTo,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> labels,
        Signature signature) implements Message {

    public static final int MAX_ARGS = 4096;

    public Exec {
        Checks.id(id);
        Checks.node(node);
        argv = argv == null ? null : Checks.nonNullCopy(argv, "argv");
        env = Checks.map(env, "env");
        labels = Checks.map(labels, "labels");
        if (argv == null && command == null) {
            throw new ContractViolation(ErrorCode.MISSING_FIELD, "argv", "argv is required (or a command string)");
        }
        if (argv != null && command != null) {
            throw ContractViolation.invalid("argv", "argv and command are exclusive: send one");
        }
        if (argv != null && (argv.isEmpty() || argv.get(0).isEmpty())) {
            throw new ContractViolation(ErrorCode.EMPTY_ARGV, "argv",
                    argv.isEmpty() ? "argv must not be empty" : "argv must not be empty: argv[0], the program, is empty");
        }
        if (argv != null && argv.size() > MAX_ARGS) {
            throw ContractViolation.invalid("argv", "argv must have at most " + MAX_ARGS + " elements");
        }
        if (command != null && command.isBlank()) {
            throw ContractViolation.invalid("command", "command must not be blank");
        }
        if (timeoutMs != null && timeoutMs <= 0) {
            throw ContractViolation.invalid("timeoutMs", "timeoutMs must be positive");
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

    /**
     * The argv to run: {@code argv} as sent, or {@code command} split by {@link CommandLine} rules.
     *
     * @throws CommandLine.ShellSyntaxException if the command string contains shell syntax
     *         ({@link ErrorCode#SHELL_SYNTAX})
     * @throws ContractViolation if the command string yields no program ({@link ErrorCode#EMPTY_ARGV})
     */
    public List<String> effectiveArgv() {
        if (argv != null) {
            return argv;
        }
        List<String> split = CommandLine.split(command);
        if (split.isEmpty() || split.get(0).isEmpty()) {
            throw new ContractViolation(ErrorCode.EMPTY_ARGV, "command", "command has no program to run");
        }
        return split;
    }

    /** A copy for another node (fan-out) with its own id. */
    public Exec forNode(String newId, String newNode) {
        return new Exec(newId, newNode, argv, command, workdir, env, timeoutMs, expiresAt, security, ask, requestedBy, replyTo, labels, null);
    }
}
