package dev.hostops.dispatcher.command;

import dev.hostops.contracts.internal.Failures;
import dev.hostops.contracts.audit.AuditEvents;
import dev.hostops.contracts.audit.AuditException;
import dev.hostops.contracts.audit.AuditSink;
import dev.hostops.contracts.message.Exec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who asked the dispatcher for what, as audit events (names in {@link AuditEvents}). {@code by} is
 * the caller's token name. The action has already happened when it is written; a failed write is
 * logged as an error, not turned into a failed request.
 */
final class DispatcherAudit {
    private static final Logger LOG = LoggerFactory.getLogger(DispatcherAudit.class);

    private DispatcherAudit() {}

    /** @param source "api:&lt;token name&gt;" or another source label */
    /** @return completes when the line is durable, or was logged as not written; never fails */
    static CompletableFuture<Void> submitted(AuditSink sink, Exec e, String source, String requestId, String outcome) {
        Map<String, Object> f = base(e.id(), e.node(), byOf(source));
        f.put("source", source);
        f.put("outcome", outcome.toLowerCase(java.util.Locale.ROOT));
        f.put("argv", e.argv());
        f.put("command", e.command());
        f.put("workdir", e.workdir());
        f.put("requestId", requestId);
        return sink.appendAsync(AuditEvents.COMMAND_SUBMITTED, f).exceptionally(failure -> {
            Throwable cause = Failures.unwrap(failure);
            LOG.error("could not write audit event {} for {}: {}", AuditEvents.COMMAND_SUBMITTED, e.id(), cause.getMessage());
            return null;
        });
    }

    static void answered(AuditSink sink, String id, String node, String decision, String by, String reason) {
        Map<String, Object> f = base(id, node, by);
        f.put("decision", decision);
        f.put("reason", reason);
        append(sink, AuditEvents.APPROVAL_ANSWERED, f);
    }

    static void cancelled(AuditSink sink, String id, String node, String by, String reason) {
        Map<String, Object> f = base(id, node, by);
        f.put("reason", reason);
        append(sink, AuditEvents.COMMAND_CANCELLED, f);
    }

    private static String byOf(String source) {
        return source != null && source.startsWith("api:") ? source.substring(4) : source;
    }

    private static Map<String, Object> base(String id, String node, String by) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", id);
        f.put("node", node);
        f.put("by", by);
        return f;
    }

    private static void append(AuditSink sink, String event, Map<String, Object> fields) {
        try {
            sink.append(event, fields);
        } catch (AuditException e) {
            LOG.error("could not write audit event {} for {}: {} ({})", event, fields.get("id"), e.getMessage(), e.code());
        }
    }
}
