package dev.hostops.dispatcher.ledger.internal;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.dispatcher.ledger.ApprovalState;
import dev.hostops.dispatcher.ledger.ApprovalView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code approvals} table. A request and its decision may arrive in either order: the request
 * fills its own columns and never touches the decision's, the first decision wins.
 */
final class ApprovalSql {
    /**
     * The statuses in which a command may still wait for an answer (the node's request can come
     * before its AWAITING_APPROVAL state); a PENDING request of a command in any other status is
     * {@link ApprovalState#UNANSWERED}: derived when read, so every way a command moves on counts.
     */
    private static final Set<CommandStatus> STILL_WAITING =
            EnumSet.of(CommandStatus.QUEUED, CommandStatus.DELIVERED, CommandStatus.AWAITING_APPROVAL);
    private static final String NOT_WAITING = EnumSet.complementOf(EnumSet.copyOf(STILL_WAITING)).stream()
            .map(st -> "'" + st.name() + "'").collect(Collectors.joining(", ", "(", ")"));
    private static final String SELECT = "SELECT a.*, c.status AS command_status FROM approvals a LEFT JOIN commands c ON c.id = a.command_id";

    private final Json json;

    ApprovalSql(Json json) {
        this.json = json;
    }

    void request(Connection c, ApprovalRequest a, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO approvals (command_id, node, argv_json, workdir, "
                + "resolved_executable, reason, requested_by, deadline, requested_at, state, env_json) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (command_id) DO UPDATE SET "
                + "argv_json = excluded.argv_json, workdir = excluded.workdir, env_json = excluded.env_json, "
                + "resolved_executable = excluded.resolved_executable, reason = excluded.reason, "
                + "requested_by = excluded.requested_by, deadline = excluded.deadline, "
                + "requested_at = COALESCE(approvals.requested_at, excluded.requested_at)")) {
            ps.setString(1, a.id());
            ps.setString(2, a.node());
            ps.setString(3, json.write(a.argv()));
            ps.setString(4, a.workdir());
            ps.setString(5, a.resolvedExecutable());
            ps.setString(6, a.reason());
            ps.setString(7, a.requestedBy());
            CommandRow.setLong(ps, 8, a.deadline() == null ? null : a.deadline().toEpochMilli());
            ps.setLong(9, now);
            ps.setString(10, ApprovalState.PENDING.name());
            ps.setString(11, a.env().isEmpty() ? null : json.write(a.env()));
            ps.executeUpdate();
        }
    }

    void decision(Connection c, ApprovalDecision d, String decidedBy, long now) throws SQLException {
        String state = (d.decision().allows() ? ApprovalState.ALLOWED : ApprovalState.DENIED).name();
        try (PreparedStatement ps = c.prepareStatement("UPDATE approvals SET state = ?, decision = ?, approver = ?, "
                + "decided_by = ?, decision_reason = ?, decided_at = ? WHERE command_id = ? AND decided_at IS NULL")) {
            ps.setString(1, state);
            ps.setString(2, d.decision().wire());
            ps.setString(3, d.approver());
            ps.setString(4, decidedBy);
            ps.setString(5, d.reason());
            ps.setLong(6, now);
            ps.setString(7, d.id());
            if (ps.executeUpdate() > 0) {
                return;
            }
        }
        // No request seen yet (or already decided: then the insert does nothing).
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO approvals (command_id, node, state, decision, approver, "
                + "decided_by, decision_reason, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (command_id) DO NOTHING")) {
            ps.setString(1, d.id());
            ps.setString(2, d.node());
            ps.setString(3, state);
            ps.setString(4, d.decision().wire());
            ps.setString(5, d.approver());
            ps.setString(6, decidedBy);
            ps.setString(7, d.reason());
            ps.setLong(8, now);
            ps.executeUpdate();
        }
    }

    List<ApprovalView> list(Connection c, ApprovalState state) throws SQLException {
        String where = state == null ? ""
                : state == ApprovalState.PENDING ? " WHERE a.state = ? AND (c.status IS NULL OR c.status NOT IN " + NOT_WAITING + ")"
                : state == ApprovalState.UNANSWERED ? " WHERE a.state = ? AND c.status IN " + NOT_WAITING
                : " WHERE a.state = ?";
        String sql = SELECT + where + " ORDER BY a.requested_at, a.command_id";
        List<ApprovalView> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (state != null) {
                ps.setString(1, (state == ApprovalState.UNANSWERED ? ApprovalState.PENDING : state).name());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(view(rs));
                }
            }
        }
        return out;
    }

    Optional<ApprovalView> find(Connection c, String commandId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE a.command_id = ?")) {
            ps.setString(1, commandId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
    }

    private ApprovalView view(ResultSet rs) throws SQLException {
        String decision = rs.getString("decision");
        ApprovalState state = ApprovalState.valueOf(rs.getString("state"));
        String command = rs.getString("command_status");
        if (state == ApprovalState.PENDING && command != null && !STILL_WAITING.contains(CommandStatus.valueOf(command))) {
            state = ApprovalState.UNANSWERED;
        }
        String env = rs.getString("env_json");
        return new ApprovalView(rs.getString("command_id"), rs.getString("node"),
                json.list(rs.getString("argv_json")), rs.getString("workdir"),
                rs.getString("resolved_executable"), rs.getString("reason"), rs.getString("requested_by"),
                Views.instant(CommandRow.longOrNull(rs, "deadline")),
                env == null ? null : json.map(env),
                Views.instant(CommandRow.longOrNull(rs, "requested_at")),
                state,
                decision == null ? null : ApprovalDecision.Decision.fromWire(decision),
                rs.getString("approver"), rs.getString("decided_by"), rs.getString("decision_reason"),
                Views.instant(CommandRow.longOrNull(rs, "decided_at")));
    }
}
