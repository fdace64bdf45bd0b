package dev.hostops.dispatcher.ledger.internal;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.dispatcher.ledger.Anomaly;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command rows one transaction works on, and the writes it has not sent yet. Rows are read
 * once (in bulk, {@link #preload}) and written back with JDBC batches at {@link #flush}, so a
 * transaction of thousands of events costs a handful of round trips.
 */
final class Batch implements Workspace {
    private static final int IN_CHUNK = 500;
    private static final String INSERT_COMMAND = "INSERT INTO commands (" + CommandRow.COLUMNS + ") VALUES ("
            + placeholders(CommandRow.COLUMN_COUNT) + ")";
    private static final String UPDATE_COMMAND = "UPDATE commands SET node = ?, status = ?, exec_json = ?, source = ?, "
            + "request_id = ?, expires_at = ?, created_at = ?, queued_at = ?, delivered_at = ?, awaiting_approval_at = ?, "
            + "running_at = ?, started_at = ?, finished_at = ?, exit_code = ?, error_code = ?, error_message = ?, "
            + "result_json = ?, published_at = ? WHERE id = ?";
    private static final String INSERT_HISTORY = "INSERT INTO command_history (command_id, status, at, recorded_at, origin, detail) "
            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_ANOMALY = "INSERT INTO anomalies (anomaly_id, command_id, node, kind, existing, received, "
            + "payload, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String INSERT_LOG = "INSERT INTO log_chunks (command_id, seq, node, stream, data, encoding, eof) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private record HistoryEntry(String commandId, CommandStatus status, long at, String origin, String detail) {}

    private final Connection connection;
    private final Dialect dialect;
    private final Map<String, CommandRow> rows = new HashMap<>();
    private final Set<String> absent = new HashSet<>();
    private final List<HistoryEntry> history = new ArrayList<>();
    private final Map<String, Anomaly> pendingAnomalies = new LinkedHashMap<>();
    private final List<Anomaly> recordedAnomalies = new ArrayList<>();
    private final List<LogChunk> logs = new ArrayList<>();

    Batch(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
    }

    /** {@code ?, ?, ?} with {@code n} parameters, for a VALUES or IN list. */
    static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    Connection connection() {
        return connection;
    }

    Dialect dialect() {
        return dialect;
    }

    /** The anomalies this transaction stored for the first time, to count and log once it committed. */
    List<Anomaly> anomalies() {
        return recordedAnomalies;
    }

    /** Reads the rows of these ids in bulk (ids already known are skipped). */
    void preload(Collection<String> ids) throws SQLException {
        List<String> todo = new ArrayList<>();
        for (String id : new HashSet<>(ids)) {
            if (!rows.containsKey(id) && !absent.contains(id)) {
                todo.add(id);
            }
        }
        Collections.sort(todo); // a stable lock order between dispatchers sharing PostgreSQL
        for (int from = 0; from < todo.size(); from += IN_CHUNK) {
            List<String> chunk = todo.subList(from, Math.min(todo.size(), from + IN_CHUNK));
            String sql = "SELECT " + CommandRow.COLUMNS + " FROM commands WHERE id IN ("
                    + placeholders(chunk.size()) + ")" + dialect.lockSuffix();
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        CommandRow row = CommandRow.read(rs);
                        rows.put(row.id, row);
                    }
                }
            }
            for (String id : chunk) {
                if (!rows.containsKey(id)) {
                    absent.add(id);
                }
            }
        }
    }

    /**
     * Deletes these commands and everything kept about them (history, log chunks, approval,
     * anomalies), except those this transaction works on: their cached rows would be written
     * back at {@link #flush}, so they wait for the next prune. Returns how many were deleted.
     */
    int deleteCommands(List<String> ids) throws SQLException {
        flush();
        List<String> free = new ArrayList<>();
        for (String id : ids) {
            if (!rows.containsKey(id)) {
                free.add(id);
            }
        }
        int deleted = 0;
        for (int from = 0; from < free.size(); from += IN_CHUNK) {
            List<String> chunk = free.subList(from, Math.min(free.size(), from + IN_CHUNK));
            String in = " IN (" + placeholders(chunk.size()) + ")";
            for (String table : new String[] {"command_history", "log_chunks", "approvals", "anomalies"}) {
                deleteIn(chunk, "DELETE FROM " + table + " WHERE command_id" + in);
            }
            deleted += deleteIn(chunk, "DELETE FROM commands WHERE id" + in);
            absent.addAll(chunk);
        }
        return deleted;
    }

    private int deleteIn(List<String> ids, String sql) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setString(i + 1, ids.get(i));
            }
            return ps.executeUpdate();
        }
    }

    /**
     * Reads the rows a condition selects (after flushing, so it sees this transaction's own
     * writes) and returns them, preferring the rows this transaction already holds.
     */
    List<CommandRow> select(String where, SqlBinder binder) throws SQLException {
        flush();
        List<CommandRow> found = new ArrayList<>();
        String sql = "SELECT " + CommandRow.COLUMNS + " FROM commands WHERE " + where + " ORDER BY id" + dialect.lockSuffix();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CommandRow read = CommandRow.read(rs);
                    CommandRow row = rows.computeIfAbsent(read.id, id -> read);
                    absent.remove(read.id);
                    found.add(row);
                }
            }
        }
        return found;
    }

    @Override
    public CommandRow find(String id) {
        CommandRow row = rows.get(id);
        if (row != null || absent.contains(id)) {
            return row;
        }
        try {
            preload(List.of(id));
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
        return rows.get(id);
    }

    @Override
    public void add(CommandRow row) {
        rows.put(row.id, row);
        absent.remove(row.id);
    }

    @Override
    public void history(String commandId, CommandStatus status, long at, String origin, String detail) {
        history.add(new HistoryEntry(commandId, status, at, origin, detail));
    }

    @Override
    public void anomaly(Anomaly anomaly) {
        String key = anomaly.commandId() + ":" + anomaly.kind() + ":" + anomaly.received();
        pendingAnomalies.putIfAbsent(key, anomaly);
    }

    void log(LogChunk chunk) {
        logs.add(chunk);
    }

    /** Sends every pending write to the database (inside the still open transaction). */
    void flush() throws SQLException {
        long now = System.currentTimeMillis();
        List<CommandRow> inserts = new ArrayList<>();
        List<CommandRow> updates = new ArrayList<>();
        for (CommandRow row : rows.values()) {
            if (row.isNew) {
                inserts.add(row);
            } else if (row.dirty) {
                updates.add(row);
            }
        }
        if (!inserts.isEmpty()) {
            try (PreparedStatement ps = connection.prepareStatement(INSERT_COMMAND)) {
                for (CommandRow row : inserts) {
                    ps.setString(1, row.id);
                    row.bindValues(ps, 2);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!updates.isEmpty()) {
            try (PreparedStatement ps = connection.prepareStatement(UPDATE_COMMAND)) {
                for (CommandRow row : updates) {
                    int next = row.bindValues(ps, 1);
                    ps.setString(next, row.id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        for (CommandRow row : inserts) {
            row.isNew = false;
            row.dirty = false;
        }
        for (CommandRow row : updates) {
            row.dirty = false;
        }
        if (!history.isEmpty()) {
            try (PreparedStatement ps = connection.prepareStatement(INSERT_HISTORY)) {
                for (HistoryEntry h : history) {
                    ps.setString(1, h.commandId());
                    ps.setString(2, h.status().name());
                    ps.setLong(3, h.at());
                    ps.setLong(4, now);
                    ps.setString(5, h.origin());
                    ps.setString(6, h.detail());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            history.clear();
        }
        if (!pendingAnomalies.isEmpty()) {
            // One by one (anomalies are rare) to learn which are new: a repeated late result is
            // the same anomaly, stored, counted and logged once.
            try (PreparedStatement ps = connection.prepareStatement(INSERT_ANOMALY)) {
                for (Map.Entry<String, Anomaly> e : pendingAnomalies.entrySet()) {
                    Anomaly a = e.getValue();
                    ps.setString(1, e.getKey());
                    ps.setString(2, a.commandId());
                    ps.setString(3, a.node());
                    ps.setString(4, a.kind().name());
                    ps.setString(5, a.existing() == null ? null : a.existing().name());
                    ps.setString(6, a.received() == null ? null : a.received().name());
                    ps.setString(7, a.payload());
                    ps.setLong(8, a.at().toEpochMilli());
                    if (ps.executeUpdate() > 0) {
                        recordedAnomalies.add(a);
                    }
                }
            }
            pendingAnomalies.clear();
        }
        if (!logs.isEmpty()) {
            try (PreparedStatement ps = connection.prepareStatement(INSERT_LOG)) {
                for (LogChunk c : logs) {
                    LogChunk stored = storable(c);
                    ps.setString(1, stored.id());
                    ps.setLong(2, stored.seq());
                    ps.setString(3, stored.node());
                    ps.setString(4, stored.stream().wire());
                    ps.setString(5, stored.data());
                    ps.setString(6, stored.encoding());
                    ps.setInt(7, c.eof() ? 1 : 0);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            logs.clear();
        }
    }

    /**
     * The chunk as a text column can hold it. NUL is valid UTF-8 that PostgreSQL text refuses, so
     * such a chunk is stored as base64 of the same bytes: {@link LogChunk#bytes()} is unchanged.
     */
    static LogChunk storable(LogChunk c) {
        if (c.data().indexOf('\u0000') < 0) {
            return c;
        }
        String base64 = java.util.Base64.getEncoder().encodeToString(c.bytes());
        return new LogChunk(c.id(), c.node(), c.seq(), c.stream(), base64, LogChunk.BASE64, c.eof());
    }

    /** Binds the parameters of a statement. */
    @FunctionalInterface
    interface SqlBinder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Carries an {@link SQLException} through {@link Workspace}, whose methods cannot declare it. */
    static final class SqlFailure extends RuntimeException {
        SqlFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
