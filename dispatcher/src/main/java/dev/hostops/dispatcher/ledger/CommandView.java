package dev.hostops.dispatcher.ledger;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command as the ledger knows it: what the HTTP API returns for a command.
 *
 * <p>A command may be known from a state change or a result before its exec was seen (events
 * arrive out of order); then {@code argv}, {@code command} and the other exec fields are empty
 * and {@link #execKnown()} is false until the exec arrives.
 *
 * @param argv       the exec's argv, empty when the exec gave a command string or is not known yet
 * @param command    the exec's command string, or null
 * @param source     "api:&lt;token name&gt;" or "broker"; null until the exec was seen
 * @param requestId  the fan-out group, or null
 * @param resultJson the result message in its wire form (JSON, {@code v} and {@code type} first), or null
 * @param error      the result's error, or the dispatcher's EXPIRED / LOST error; null otherwise
 * @param createdAt  when the ledger first heard of this command (any event)
 */
public record CommandView(
        String id,
        String node,
        CommandStatus status,
        List<String> argv,
        String command,
        String workdir,
        Map<String, String> labels,
        Long timeoutMs,
        Instant expiresAt,
        String requestedBy,
        String source,
        String requestId,
        StateTimes times,
        Integer exitCode,
        ErrorInfo error,
        String resultJson,
        Instant createdAt,
        boolean execKnown) {

    public CommandView {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(node, "node must not be null");
        Objects.requireNonNull(status, "status must not be null");
        Objects.requireNonNull(times, "times must not be null");
        argv = argv == null ? List.of() : List.copyOf(argv);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
