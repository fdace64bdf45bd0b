package dev.hostops.node.internal;

import dev.hostops.contracts.audit.AuditEvents;
import dev.hostops.contracts.audit.AuditException;
import dev.hostops.contracts.audit.AuditSink;
import dev.hostops.contracts.internal.Failures;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Result;
import dev.hostops.node.policy.Evaluation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's decisions as audit events (names in {@link AuditEvents}). A failed audit write is
 * logged as an error and does not stop the command: the result still reaches the dispatcher, and
 * the gap shows in the log's own chain only if lines are lost, so the error log is where to look.
 *
 * <p>Every line takes its place in the chain when the event happens. The lines on a command's way
 * in ({@code command.received}, {@code policy.verdict}, {@code command.started}) do not wait for
 * the disk: they are synced by the next forced sync, and by the log's background sync within
 * {@link #SYNC_WITHIN} at the latest. {@code command.finished} is written when the result is
 * known and synced beside the store's commit of that result (so the two fsyncs overlap), and
 * the agent wakes the outbox for the result only once both are on disk. So a short command's
 * whole trail costs one audit fsync, and a long one's way in is on disk a moment after it
 * started. Approval lines wait, as before.
 *
 * <p>Since the line does not wait for the store, a crash between the two leaves a
 * {@code command.finished} line for a result that was never stored or published; the next run
 * reports the command LOST, and its own {@code command.finished} line (LOST) follows. Both are
 * true: the program ended, and its result did not survive. A result the store turns down as a
 * repeat (the first result of an id stands) has its line too.
 */
final class NodeAudit {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAudit.class);
    /**
     * How long a line on a command's way in may wait for the disk. Longer than a short command
     * takes (its finished line then syncs it), short enough that a long one's start is on disk at
     * once as a person counts. Each sync the delay saves is an fsync beside the store's own.
     */
    static final Duration SYNC_WITHIN = Duration.ofMillis(50);
    private final AuditSink sink;
    private final String node;

    NodeAudit(AuditSink sink, String node) {
        this.sink = sink;
        this.node = node;
    }

    void received(Exec exec) {
        appendSoon(AuditEvents.COMMAND_RECEIVED, fields(exec.id(),
                "requestedBy", exec.requestedBy(), "argv", exec.argv(), "command", exec.command(), "workdir", exec.workdir()));
    }

    void verdict(String id, Evaluation e) {
        appendSoon(AuditEvents.POLICY_VERDICT, fields(id, "decision", e.decision().decision(), "rule", e.decision().rule(),
                "verdict", e.verdict().name(), "resolvedExecutable", e.resolvedExecutable(),
                "code", e.error() == null ? null : e.error().code(), "askReason", e.askReason()));
    }

    /** The trust boundary refused a message (bad signature, replay...): it never reaches the policy. */
    void refused(String id, String code) {
        append(AuditEvents.POLICY_VERDICT, fields(id, "decision", "deny", "rule", "trust", "verdict", "REFUSED", "code", code));
    }

    void approvalAsked(String id, Duration timeout) {
        append(AuditEvents.APPROVAL_REQUESTED, fields(id, "timeoutMs", timeout.toMillis()));
    }

    /** {@code by} is the approver's name, "fallback" for a timeout, or "cancel". */
    void approvalDecided(String id, boolean approved, String by, String decision, String reason) {
        append(AuditEvents.APPROVAL_DECIDED, fields(id, "approved", approved, "by", by, "decision", decision, "reason", reason));
    }

    void started(String id, List<String> resolvedArgv, String workdir, long pid) {
        appendSoon(AuditEvents.COMMAND_STARTED, fields(id, "resolvedExecutable", resolvedArgv.get(0), "argv", resolvedArgv,
                "workdir", workdir, "pid", pid));
    }

    /**
     * Writes {@code command.finished} now; the future completes once the line (and so the
     * command's whole trail) is on disk, also when it could not be written (logged): a result is
     * held back for its line, never lost for it.
     */
    CompletableFuture<Void> finished(Result r) {
        Map<String, Object> fields = fields(r.id(), "status", r.status().name(), "exitCode", r.exitCode(),
                "code", r.error() == null ? null : r.error().code());
        CompletableFuture<Void> synced;
        try {
            synced = sink.appendAsync(AuditEvents.COMMAND_FINISHED, fields);
        } catch (RuntimeException e) {
            synced = CompletableFuture.failedFuture(e);
        }
        return logged(AuditEvents.COMMAND_FINISHED, fields, synced);
    }

    /** A policy came into force; {@code previous} is null at start. */
    void policyLoaded(String file, String digest, String previous) {
        append(AuditEvents.POLICY_LOADED, nodeFields("file", file, "digest", digest, "previous", previous));
    }

    /** An edited policy could not be used; {@code kept} is the digest of the one still in force. */
    void policyRefused(String file, String kept, String reason) {
        append(AuditEvents.POLICY_REFUSED, nodeFields("file", file, "kept", kept, "reason", reason));
    }

    private Map<String, Object> nodeFields(Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", node);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private Map<String, Object> fields(String id, Object... pairs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.putAll(nodeFields(pairs));
        return m;
    }

    /** Writes the line now; the disk sync follows (see the class comment). */
    private void appendSoon(String event, Map<String, Object> fields) {
        logged(event, fields, sink.appendWithin(event, fields, SYNC_WITHIN));
    }

    /** Completes with the write, never exceptionally: a failure is logged as an error. */
    private static CompletableFuture<Void> logged(String event, Map<String, Object> fields, CompletableFuture<Void> written) {
        return written.handle((ok, failure) -> {
            if (failure != null) {
                LOG.error("could not write audit event {} for {}: {}", event, fields.getOrDefault("id", fields.get("node")), Failures.unwrap(failure).getMessage());
            }
            return null;
        });
    }

    private void append(String event, Map<String, Object> fields) {
        try {
            sink.append(event, fields);
        } catch (AuditException e) {
            LOG.error("could not write audit event {} for {}: {} ({})", event, fields.getOrDefault("id", fields.get("node")), e.getMessage(), e.code());
        }
    }
}
