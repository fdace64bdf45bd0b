package dev.hostops.dispatcher.ledger.internal;

import dev.hostops.contracts.CommandStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * One row of the {@code commands} table, mutable while a transaction works on it. Times are epoch
 * milliseconds. {@link #isNew} rows are inserted at flush, {@link #dirty} ones updated.
 */
final class CommandRow {
    /** The columns in the order {@link #bind} writes them; id is always first. */
    static final String COLUMNS = "id, node, status, exec_json, source, request_id, expires_at, created_at, queued_at, "
            + "delivered_at, awaiting_approval_at, running_at, started_at, finished_at, exit_code, error_code, "
            + "error_message, result_json, published_at";
    static final int COLUMN_COUNT = 19;

    final String id;
    String node;
    CommandStatus status;
    String execJson;
    String source;
    String requestId;
    Long expiresAt;
    long createdAt;
    Long queuedAt;
    Long deliveredAt;
    Long awaitingApprovalAt;
    Long runningAt;
    Long startedAt;
    Long finishedAt;
    Integer exitCode;
    String errorCode;
    String errorMessage;
    String resultJson;
    /** When the broker acknowledged this dispatcher's publish of the exec (null: not yet, or not ours). */
    Long publishedAt;

    boolean isNew;
    boolean dirty;

    CommandRow(String id, String node, CommandStatus status, long createdAt) {
        this.id = id;
        this.node = node;
        this.status = status;
        this.createdAt = createdAt;
    }

    static CommandRow created(String id, String node, CommandStatus status, long createdAt) {
        CommandRow row = new CommandRow(id, node, status, createdAt);
        row.isNew = true;
        return row;
    }

    /** The time column of a non-terminal status, or null for statuses without one. */
    Long timeOf(CommandStatus s) {
        return switch (s) {
            case QUEUED -> queuedAt;
            case DELIVERED -> deliveredAt;
            case AWAITING_APPROVAL -> awaitingApprovalAt;
            case RUNNING -> runningAt;
            default -> null;
        };
    }

    void setTimeOf(CommandStatus s, long at) {
        switch (s) {
            case QUEUED -> queuedAt = at;
            case DELIVERED -> deliveredAt = at;
            case AWAITING_APPROVAL -> awaitingApprovalAt = at;
            case RUNNING -> runningAt = at;
            default -> throw new IllegalArgumentException("no time column for " + s);
        }
    }

    static CommandRow read(ResultSet rs) throws SQLException {
        CommandRow r = new CommandRow(rs.getString("id"), rs.getString("node"),
                CommandStatus.valueOf(rs.getString("status")), rs.getLong("created_at"));
        r.execJson = rs.getString("exec_json");
        r.source = rs.getString("source");
        r.requestId = rs.getString("request_id");
        r.expiresAt = longOrNull(rs, "expires_at");
        r.queuedAt = longOrNull(rs, "queued_at");
        r.deliveredAt = longOrNull(rs, "delivered_at");
        r.awaitingApprovalAt = longOrNull(rs, "awaiting_approval_at");
        r.runningAt = longOrNull(rs, "running_at");
        r.startedAt = longOrNull(rs, "started_at");
        r.finishedAt = longOrNull(rs, "finished_at");
        int exit = rs.getInt("exit_code");
        r.exitCode = rs.wasNull() ? null : exit;
        r.errorCode = rs.getString("error_code");
        r.errorMessage = rs.getString("error_message");
        r.resultJson = rs.getString("result_json");
        r.publishedAt = longOrNull(rs, "published_at");
        return r;
    }

    /** Binds every column but id from index {@code from}; returns the next free index. */
    int bindValues(PreparedStatement ps, int from) throws SQLException {
        int i = from;
        ps.setString(i++, node);
        ps.setString(i++, status.name());
        ps.setString(i++, execJson);
        ps.setString(i++, source);
        ps.setString(i++, requestId);
        setLong(ps, i++, expiresAt);
        ps.setLong(i++, createdAt);
        setLong(ps, i++, queuedAt);
        setLong(ps, i++, deliveredAt);
        setLong(ps, i++, awaitingApprovalAt);
        setLong(ps, i++, runningAt);
        setLong(ps, i++, startedAt);
        setLong(ps, i++, finishedAt);
        if (exitCode == null) {
            ps.setNull(i++, Types.INTEGER);
        } else {
            ps.setInt(i++, exitCode);
        }
        ps.setString(i++, errorCode);
        // A node's message may hold NUL, which PostgreSQL text refuses; the full text stays in result_json.
        ps.setString(i++, errorMessage == null ? null : errorMessage.replace('\u0000', '\ufffd'));
        ps.setString(i++, resultJson);
        setLong(ps, i++, publishedAt);
        return i;
    }

    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
