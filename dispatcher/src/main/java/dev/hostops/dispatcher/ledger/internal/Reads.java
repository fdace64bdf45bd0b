package dev.hostops.dispatcher.ledger.internal;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.dispatcher.ledger.Anomaly;
import dev.hostops.dispatcher.ledger.ApprovalState;
import dev.hostops.dispatcher.ledger.ApprovalView;
import dev.hostops.dispatcher.ledger.CommandQuery;
import dev.hostops.dispatcher.ledger.CommandView;
import dev.hostops.dispatcher.ledger.HistoryEntry;
import dev.hostops.dispatcher.ledger.InvocationStatus;
import dev.hostops.dispatcher.ledger.LedgerException;
import dev.hostops.dispatcher.ledger.NodeView;
import dev.hostops.dispatcher.ledger.RequestView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ledger's queries. They see committed data only and never wait for the writer. */
final class Reads {
    private static final Logger LOG = LoggerFactory.getLogger(Reads.class);
    private static final int MAX_LIMIT = 10_000;

    private final DataSource dataSource;
    private final int poolSize;
    private final Views views;
    private final NodeSql nodes;
    private final ApprovalSql approvals;

    Reads(DataSource dataSource, int poolSize, Views views, NodeSql nodes, ApprovalSql approvals) {
        this.dataSource = dataSource;
        this.poolSize = poolSize;
        this.views = views;
        this.nodes = nodes;
        this.approvals = approvals;
    }

    /** A query's body. */
    @FunctionalInterface
    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T query(String what, Query<T> q) {
        // A pooled connection whose session the server ended (restart, failover) fails once and is
        // dropped by the pool; every pooled connection may be such a one, so try one more than them.
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(q);
            } catch (SQLException e) {
                if (!sessionLost(e) || attempt > poolSize) {
                    throw unavailable(what, e);
                }
            }
        }
    }

    private <T> T attempt(Query<T> q) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return q.run(c);
        }
    }

    private static LedgerException unavailable(String what, SQLException e) {
        return new LedgerException(LedgerException.Reason.UNAVAILABLE, "cannot read " + what + " from the ledger: "
                + Writer.brief(e), e);
    }

    /** The server ended the session or the connection broke (SQL states 08xxx, 57P01-57P03). */
    static boolean sessionLost(SQLException e) {
        String state = e.getSQLState();
        return Writer.unreachable(e) || (state != null && (state.startsWith("57P0")));
    }

    Optional<CommandView> command(String id) {
        Objects.requireNonNull(id, "id must not be null");
        List<CommandView> found = commands("command " + id, "WHERE id = ?", List.of(id), 1);
        return found.stream().findFirst();
    }

    List<CommandView> commands(CommandQuery q) {
        Objects.requireNonNull(q, "query must not be null");
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (q.node() != null) {
            where.add("node = ?");
            args.add(q.node());
        }
        if (q.status() != null) {
            where.add("status = ?");
            args.add(q.status().name());
        }
        if (q.requestId() != null) {
            where.add("request_id = ?");
            args.add(q.requestId());
        }
        // By created_at alone, which an index gives for each filter (V3__list_indexes.sql): with
        // a tie-break on id the database sorts every matching command to return 100.
        String clause = (where.isEmpty() ? "" : "WHERE " + String.join(" AND ", where)) + " ORDER BY created_at DESC";
        return commands("commands", clause, args, q.limit());
    }

    private List<CommandView> commands(String what, String clause, List<?> args, int limit) {
        return query(what, c -> {
            List<CommandView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CommandRow.COLUMNS + " FROM commands " + clause + " LIMIT ?")) {
                int i = 1;
                for (Object a : args) {
                    ps.setObject(i++, a);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(views.command(CommandRow.read(rs)));
                    }
                }
            }
            return out;
        });
    }

    List<Exec> unpublished(long nowMillis, int limit) {
        return query("unpublished commands", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CommandRow.COLUMNS + " FROM commands"
                    + " WHERE status = ? AND published_at IS NULL AND source LIKE 'api:%' AND exec_json IS NOT NULL"
                    + " AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at, id LIMIT ?")) {
                ps.setString(1, CommandStatus.QUEUED.name());
                ps.setLong(2, nowMillis);
                ps.setInt(3, Math.min(limit, MAX_LIMIT));
                return execs(ps);
            }
        });
    }

    List<Exec> queuedFor(String node, long nowMillis, int limit) {
        return query("the queued commands of " + node, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CommandRow.COLUMNS + " FROM commands"
                    + " WHERE node = ? AND status = ? AND source LIKE 'api:%' AND exec_json IS NOT NULL"
                    + " AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at, id LIMIT ?")) {
                ps.setString(1, node);
                ps.setString(2, CommandStatus.QUEUED.name());
                ps.setLong(3, nowMillis);
                ps.setInt(4, Math.min(limit, MAX_LIMIT));
                return execs(ps);
            }
        });
    }

    /** The execs of the rows a query selects ({@link CommandRow#COLUMNS}), to publish. */
    private List<Exec> execs(PreparedStatement ps) throws SQLException {
        List<Exec> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                CommandRow row = CommandRow.read(rs);
                try {
                    out.add(views.exec(row));
                } catch (RuntimeException e) {
                    // One unreadable row must not keep every other accepted command from the broker.
                    LOG.error("command {} in the ledger has an exec this version cannot read; it is not published: {}",
                            row.id, e.getMessage());
                }
            }
        }
        return out;
    }

    Optional<Exec> exec(String id) {
        Objects.requireNonNull(id, "id must not be null");
        return query("the exec of " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT exec_json FROM commands WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    String json = rs.next() ? rs.getString(1) : null;
                    return json == null ? Optional.<Exec>empty() : Optional.of(views.exec(json));
                }
            }
        });
    }

    List<HistoryEntry> history(String id) {
        Objects.requireNonNull(id, "id must not be null");
        return query("the history of " + id, c -> {
            List<HistoryEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT status, at, recorded_at, origin, detail FROM command_history WHERE command_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new HistoryEntry(CommandStatus.valueOf(rs.getString(1)), Views.instant(rs.getLong(2)),
                                Views.instant(rs.getLong(3)), rs.getString(4), rs.getString(5)));
                    }
                }
            }
            // Lifecycle order: by time, and for equal times by the status's place in the lifecycle.
            out.sort(Comparator.comparing(HistoryEntry::at).thenComparing(e -> e.status().rank()));
            return out;
        });
    }

    List<LogChunk> logs(String id, long fromSeq, int limit) {
        Objects.requireNonNull(id, "id must not be null");
        checkLimit(limit);
        return query("the log of " + id, c -> {
            List<LogChunk> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT command_id, node, seq, stream, data, encoding, eof "
                    + "FROM log_chunks WHERE command_id = ? AND seq >= ? ORDER BY seq LIMIT ?")) {
                ps.setString(1, id);
                ps.setLong(2, fromSeq);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new LogChunk(rs.getString(1), rs.getString(2), rs.getLong(3),
                                LogChunk.Stream.fromWire(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getInt(7) != 0));
                    }
                }
            }
            return out;
        });
    }

    List<NodeView> nodes(String node) {
        return query("nodes", c -> nodes.list(c, node));
    }

    List<ApprovalView> approvals(ApprovalState state) {
        return query("approvals", c -> approvals.list(c, state));
    }

    Optional<ApprovalView> approval(String commandId) {
        return query("the approval request of " + commandId, c -> approvals.find(c, commandId));
    }

    RequestView request(String requestId) {
        Objects.requireNonNull(requestId, "requestId must not be null");
        List<CommandView> invocations = requestCommands(requestId);
        Map<CommandStatus, Integer> counts = query("the counts of request " + requestId, c -> {
            Map<CommandStatus, Integer> out = new EnumMap<>(CommandStatus.class);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT status, COUNT(*) FROM commands WHERE request_id = ? GROUP BY status")) {
                ps.setString(1, requestId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(CommandStatus.valueOf(rs.getString(1)), rs.getInt(2));
                    }
                }
            }
            return out;
        });
        return new RequestView(requestId, invocations, counts);
    }

    List<CommandView> requestCommands(String requestId) {
        Objects.requireNonNull(requestId, "requestId must not be null");
        return commands("request " + requestId, "WHERE request_id = ? ORDER BY node, id", List.of(requestId), MAX_LIMIT);
    }

    List<InvocationStatus> requestStatuses(String requestId) {
        Objects.requireNonNull(requestId, "requestId must not be null");
        return query("the statuses of request " + requestId, c -> {
            List<InvocationStatus> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, node, status FROM commands WHERE request_id = ? ORDER BY node, id LIMIT ?")) {
                ps.setString(1, requestId);
                ps.setInt(2, MAX_LIMIT);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new InvocationStatus(rs.getString(1), rs.getString(2), CommandStatus.valueOf(rs.getString(3))));
                    }
                }
            }
            return out;
        });
    }

    List<Anomaly> anomalies(int limit) {
        checkLimit(limit);
        return query("anomalies", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ANOMALY_COLUMNS
                    + " FROM anomalies ORDER BY at DESC, anomaly_id LIMIT ?")) {
                ps.setInt(1, limit);
                return anomalies(ps);
            }
        });
    }

    List<Anomaly> anomaliesOf(String commandId) {
        return query("the anomalies of " + commandId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ANOMALY_COLUMNS
                    + " FROM anomalies WHERE command_id = ? ORDER BY at, anomaly_id")) {
                ps.setString(1, commandId);
                return anomalies(ps);
            }
        });
    }

    private static final String ANOMALY_COLUMNS = "command_id, node, kind, existing, received, payload, at";

    private static List<Anomaly> anomalies(PreparedStatement ps) throws SQLException {
        List<Anomaly> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String existing = rs.getString(4);
                String received = rs.getString(5);
                out.add(new Anomaly(rs.getString(1), rs.getString(2), Anomaly.Kind.valueOf(rs.getString(3)),
                        existing == null ? null : CommandStatus.valueOf(existing),
                        received == null ? null : CommandStatus.valueOf(received),
                        rs.getString(6), Views.instant(rs.getLong(7))));
            }
        }
        return out;
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
    }
}
