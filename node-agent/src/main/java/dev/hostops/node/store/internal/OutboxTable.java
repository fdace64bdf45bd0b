package dev.hostops.node.store.internal;

import dev.hostops.node.store.OutboxEntry;
import dev.hostops.node.store.PendingPublication;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** SQL for the {@code outbox} table. Callers hold the connection lock and pick the transaction. */
public final class OutboxTable {
    private OutboxTable() {}

    public static long insert(Connection c, OutboxEntry entry, Instant enqueuedAt) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO outbox (topic, payload, retain, enqueued_at) VALUES (?, ?, ?, ?) RETURNING seq")) {
            p.setString(1, entry.topic());
            p.setBytes(2, entry.payload());
            p.setInt(3, entry.retain() ? 1 : 0);
            p.setString(4, Timestamps.format(enqueuedAt));
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("INSERT ... RETURNING seq returned no row");
                }
                return rs.getLong(1);
            }
        }
    }

    public static List<PendingPublication> oldest(Connection c, int limit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT seq, topic, payload, retain FROM outbox ORDER BY seq LIMIT ?")) {
            p.setInt(1, limit);
            try (ResultSet rs = p.executeQuery()) {
                List<PendingPublication> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new PendingPublication(rs.getLong(1),
                            new OutboxEntry(rs.getString(2), rs.getBytes(3), rs.getInt(4) != 0)));
                }
                return out;
            }
        }
    }

    public static boolean delete(Connection c, long seq) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM outbox WHERE seq = ?")) {
            p.setLong(1, seq);
            return p.executeUpdate() == 1;
        }
    }

    public static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
