package dev.hostops.contracts.audit;

/** The event names hostops writes, in one place so readers of the log can rely on them. */
public final class AuditEvents {
    // --- node agent
    /** A command arrived (fields: id, requestedBy, argv, workdir). */
    public static final String COMMAND_RECEIVED = "command.received";
    /** The local policy decided (fields: id, decision allow|deny|ask, rule, code, resolvedExecutable). */
    public static final String POLICY_VERDICT = "policy.verdict";
    /** The node asked for an approval (fields: id, timeoutMs). */
    public static final String APPROVAL_REQUESTED = "approval.requested";
    /** An approval was answered or timed out (fields: id, approved, by, reason). */
    public static final String APPROVAL_DECIDED = "approval.decided";
    /** The process started (fields: id, resolvedExecutable, argv, workdir). */
    public static final String COMMAND_STARTED = "command.started";
    /** The command reached its final status on the node (fields: id, status, exitCode, code). */
    public static final String COMMAND_FINISHED = "command.finished";
    /** A policy came into force: at start, or an edited file (fields: node, file, digest, previous). */
    public static final String POLICY_LOADED = "policy.loaded";
    /** An edited policy file could not be used; the policy in force stays (fields: node, file, kept, reason). */
    public static final String POLICY_REFUSED = "policy.refused";

    // --- dispatcher
    /** A caller submitted a command (fields: id, node, by = token name, argv). */
    public static final String COMMAND_SUBMITTED = "command.submitted";
    /** A caller answered an approval request (fields: id, node, approved, by = token name). */
    public static final String APPROVAL_ANSWERED = "approval.answered";
    /** A caller cancelled a command (fields: id, node, by = token name). */
    public static final String COMMAND_CANCELLED = "command.cancelled";

    private AuditEvents() {}
}
