package dev.hostops.node.store.internal;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.node.store.CommandRecord;
import dev.hostops.node.store.QueuedCommand;
import dev.hostops.node.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for the {@code command} table. Callers hold the connection lock and pick the transaction. */
public final class CommandTable {
    private static final String COLUMNS = "command_id, status, exec_json, received_at, started_at, pid, result_json";

    private CommandTable() {}

    /**
     * Inserts a DELIVERED record unless the id exists. Returns the new row's rowid, its place in
     * claim order (each insert takes the largest rowid plus one), or -1 when the id was there.
     */
    public static long insertIfAbsent(Connection c, String id, byte[] execJson, Instant receivedAt) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO command (command_id, status, exec_json, received_at) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (command_id) DO NOTHING RETURNING rowid")) {
            p.setString(1, id);
            p.setString(2, CommandStatus.DELIVERED.name());
            p.setBytes(3, execJson);
            p.setString(4, Timestamps.format(receivedAt));
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /**
     * The claim of {@code id} made with exactly this exec and {@code receivedAt}, taken up again by
     * the caller that made it: its seq, or -1 when the record is someone else's claim or has gone
     * further than a claim. A record of that claim still DELIVERED is returned as it is; one RUNNING
     * without a pid (a claim that also marked it starting, which the caller then saw fail, so it
     * spawned nothing) is set back to DELIVERED first. The receivedAt, stored to the nanosecond, is
     * what tells the caller's own claim from a repeat delivery.
     */
    public static long reclaim(Connection c, String id, byte[] execJson, Instant receivedAt) throws SQLException {
        long seq;
        try (PreparedStatement p = c.prepareStatement("SELECT rowid, status, pid FROM command "
                + "WHERE command_id = ? AND received_at = ? AND exec_json = ?")) {
            p.setString(1, id);
            p.setString(2, Timestamps.format(receivedAt));
            p.setBytes(3, execJson);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return -1;
                }
                seq = rs.getLong(1);
                String status = rs.getString(2);
                rs.getLong(3);
                boolean noPid = rs.wasNull();
                if (status.equals(CommandStatus.DELIVERED.name())) {
                    return seq;
                }
                if (!status.equals(CommandStatus.RUNNING.name()) || !noPid) {
                    return -1;
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE command SET status = ?, started_at = NULL WHERE rowid = ?")) {
            p.setString(1, CommandStatus.DELIVERED.name());
            p.setLong(2, seq);
            p.executeUpdate();
        }
        return seq;
    }

    /** Up to {@code limit} DELIVERED records claimed after {@code afterSeq}, in claim order. */
    public static List<QueuedCommand> deliveredAfter(Connection c, long afterSeq, int limit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT rowid, command_id, exec_json FROM command "
                + "WHERE rowid > ? AND status = ? ORDER BY rowid LIMIT ?")) {
            p.setLong(1, afterSeq);
            p.setString(2, CommandStatus.DELIVERED.name());
            p.setInt(3, limit);
            try (ResultSet rs = p.executeQuery()) {
                List<QueuedCommand> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new QueuedCommand(rs.getLong(1), rs.getString(2), rs.getBytes(3)));
                }
                return out;
            }
        }
    }

    public static Optional<CommandRecord> find(Connection c, String id) throws SQLException, StoreException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM command WHERE command_id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public static CommandRecord require(Connection c, String id) throws SQLException, StoreException {
        return find(c, id).orElseThrow(() -> new StoreException(StoreException.Code.UNKNOWN_COMMAND,
                "command " + id + " was never claimed on this node (or was pruned after it finished)"));
    }

    public static void setStatus(Connection c, String id, CommandStatus status) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE command SET status = ? WHERE command_id = ?")) {
            p.setString(1, status.name());
            p.setString(2, id);
            p.executeUpdate();
        }
    }

    public static void setRunning(Connection c, String id, Instant startedAt, Long pid) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE command SET status = ?, started_at = ?, pid = ? WHERE command_id = ?")) {
            p.setString(1, CommandStatus.RUNNING.name());
            p.setString(2, Timestamps.format(startedAt));
            if (pid == null) {
                p.setNull(3, Types.INTEGER);
            } else {
                p.setLong(3, pid);
            }
            p.setString(4, id);
            p.executeUpdate();
        }
    }

    public static void setResult(Connection c, String id, CommandStatus status, byte[] resultJson, long finishedAtMs)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE command SET status = ?, result_json = ?, finished_at_ms = ? WHERE command_id = ?")) {
            p.setString(1, status.name());
            p.setBytes(2, resultJson);
            p.setLong(3, finishedAtMs);
            p.setString(4, id);
            p.executeUpdate();
        }
    }

    /** Records without a result, oldest first; with {@code exceptDelivered}, only those started or awaiting approval. */
    public static List<CommandRecord> unfinished(Connection c, boolean exceptDelivered) throws SQLException, StoreException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM command WHERE result_json IS NULL"
                + (exceptDelivered ? " AND status <> '" + CommandStatus.DELIVERED.name() + "'" : "")
                + " ORDER BY received_at, command_id")) {
            try (ResultSet rs = p.executeQuery()) {
                List<CommandRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        }
    }

    /**
     * Deletes terminal records that became terminal before the instant; never unfinished ones, and
     * never the latest claimed: SQLite gives a new row the largest rowid plus one, so keeping that
     * row keeps every later claim's seq larger than any handed out before.
     */
    public static int deleteFinishedBefore(Connection c, long beforeMs) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM command WHERE result_json IS NOT NULL "
                + "AND finished_at_ms < ? AND rowid < (SELECT max(rowid) FROM command)")) {
            p.setLong(1, beforeMs);
            return p.executeUpdate();
        }
    }

    private static CommandRecord read(ResultSet rs) throws SQLException, StoreException {
        String id = rs.getString(1);
        String statusText = rs.getString(2);
        CommandStatus status;
        try {
            status = CommandStatus.valueOf(statusText);
        } catch (IllegalArgumentException e) {
            throw new StoreException(StoreException.Code.CORRUPT, "command " + id + " has an unknown stored status '"
                    + statusText + "'", e);
        }
        long pid = rs.getLong(6);
        Long pidOrNull = rs.wasNull() ? null : pid;
        return new CommandRecord(id, status, rs.getBytes(3), Timestamps.parse(rs.getString(4)),
                Timestamps.parse(rs.getString(5)), pidOrNull, rs.getBytes(7));
    }
}
