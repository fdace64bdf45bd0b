package dev.hostops.dispatcher.ledger.internal;

import dev.hostops.contracts.message.Presence;
import dev.hostops.dispatcher.ledger.NodeView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code nodes} table: presence in, node views out. */
final class NodeSql {
    private static final String COLUMNS = "node, state, session_id, offline_session_id, hostname, os, arch, agent_version, "
            + "policy_digest, capabilities_json, labels_json, max_concurrency, since, last_seen";

    private final Json json;

    NodeSql(Json json) {
        this.json = json;
    }

    /**
     * What the ledger holds of a node: its session, to judge a presence, and its description
     * (hostname to max_concurrency, as stored), to tell a change from a repeat.
     */
    private record Stored(Presence.State state, String sessionId, String offlineSessionId, long since, List<Object> description) {}

    private Optional<Stored> stored(Connection c, String node, Dialect dialect) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state, session_id, offline_session_id, since, hostname, os, arch, "
                + "agent_version, policy_digest, capabilities_json, labels_json, max_concurrency FROM nodes WHERE node = ?"
                + dialect.lockSuffix())) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int max = rs.getInt(12);
                Integer maxConcurrency = rs.wasNull() ? null : max;
                return Optional.of(new Stored(Presence.State.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3),
                        rs.getLong(4), Arrays.asList(rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                                rs.getString(9), rs.getString(10), rs.getString(11), maxConcurrency)));
            }
        }
    }

    /**
     * Marks offline the nodes online in the ledger that nothing was heard from since
     * {@code silentSince} (no presence, not even a heartbeat), as of when they were last heard, and
     * returns them. For brokers without a last will (AMQP): an agent killed there never says it is
     * offline. Its next heartbeat, if it was only cut off, brings it back online.
     */
    List<String> markSilent(Connection c, long silentSince) throws SQLException {
        List<String> silent = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT node FROM nodes WHERE state = ? AND last_seen < ?")) {
            ps.setString(1, Presence.State.ONLINE.name());
            ps.setLong(2, silentSince);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    silent.add(rs.getString(1));
                }
            }
        }
        if (!silent.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET state = ?, since = last_seen WHERE node = ? AND state = ?")) {
                for (String node : silent) {
                    ps.setString(1, Presence.State.OFFLINE.name());
                    ps.setString(2, node);
                    ps.setString(3, Presence.State.ONLINE.name());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return silent;
    }

    /** A presence's description as {@link #stored} reads it back. */
    private List<Object> description(Presence p) {
        return Arrays.asList(p.hostname(), p.os(), p.arch(), p.agentVersion(), p.policyDigest(),
                json.write(p.capabilities()), json.write(p.labels()), p.maxConcurrency());
    }

    /**
     * Applies a presence. Returns true when it changed what the ledger shows of the node (a new
     * node, another state or agent session, another description), false for a repeat (an agent's
     * heartbeat, a retained presence seen again), which only refreshes last_seen, and for a stale
     * one, which is ignored.
     */
    boolean apply(Connection c, Dialect dialect, Presence p, long now) throws SQLException {
        long at = p.at() == null ? now : p.at().toEpochMilli();
        Optional<Stored> existing = stored(c, p.node(), dialect);
        if (existing.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO nodes (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int i = bindDescription(ps, 1, p);
                ps.setLong(i++, at);
                ps.setLong(i, now);
                ps.executeUpdate();
            }
            return true;
        }
        Stored s = existing.get();
        boolean sameSession = s.sessionId().equals(p.id());
        if (p.state() == Presence.State.OFFLINE && !sameSession) {
            return false; // the late last will of an older agent session: says nothing about the current one
        }
        if (p.at() != null && at < s.since() && sameSession) {
            return false; // an older presence of the same session, arriving late
        }
        boolean stateChanged = s.state() != p.state() || !sameSession;
        long since = stateChanged ? at : s.since();
        if (p.state() == Presence.State.ONLINE && !stateChanged && s.description().equals(description(p))) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET last_seen = ? WHERE node = ?")) {
                ps.setLong(1, now);
                ps.setString(2, p.node());
                ps.executeUpdate();
            }
            return false;
        }
        if (p.state() == Presence.State.OFFLINE) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET state = ?, session_id = ?, "
                    + "offline_session_id = ?, since = ?, last_seen = ? WHERE node = ?")) {
                ps.setString(1, p.state().name());
                ps.setString(2, p.id());
                ps.setString(3, p.id());
                ps.setLong(4, since);
                ps.setLong(5, now);
                ps.setString(6, p.node());
                ps.executeUpdate();
            }
            return stateChanged;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET node = ?, state = ?, session_id = ?, "
                + "offline_session_id = ?, hostname = ?, os = ?, arch = ?, agent_version = ?, policy_digest = ?, "
                + "capabilities_json = ?, labels_json = ?, max_concurrency = ?, since = ?, last_seen = ? WHERE node = ?")) {
            int i = bindDescription(ps, 1, p);
            ps.setString(4, s.offlineSessionId());
            ps.setLong(i++, since);
            ps.setLong(i++, now);
            ps.setString(i, p.node());
            ps.executeUpdate();
        }
        return true;
    }

    /** Binds node..max_concurrency (12 columns) from index {@code from}; returns the next index. */
    private int bindDescription(PreparedStatement ps, int from, Presence p) throws SQLException {
        int i = from;
        ps.setString(i++, p.node());
        ps.setString(i++, p.state().name());
        ps.setString(i++, p.id());
        ps.setString(i++, p.state() == Presence.State.OFFLINE ? p.id() : null);
        ps.setString(i++, p.hostname());
        ps.setString(i++, p.os());
        ps.setString(i++, p.arch());
        ps.setString(i++, p.agentVersion());
        ps.setString(i++, p.policyDigest());
        ps.setString(i++, json.write(p.capabilities()));
        ps.setString(i++, json.write(p.labels()));
        if (p.maxConcurrency() == null) {
            ps.setNull(i++, java.sql.Types.INTEGER);
        } else {
            ps.setInt(i++, p.maxConcurrency());
        }
        return i;
    }

    List<NodeView> list(Connection c, String node) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM nodes" + (node == null ? "" : " WHERE node = ?") + " ORDER BY node";
        List<NodeView> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (node != null) {
                ps.setString(1, node);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int max = rs.getInt("max_concurrency");
                    Integer maxConcurrency = rs.wasNull() ? null : max;
                    out.add(new NodeView(rs.getString("node"), Presence.State.valueOf(rs.getString("state")),
                            rs.getString("session_id"), rs.getString("hostname"), rs.getString("os"), rs.getString("arch"),
                            rs.getString("agent_version"), rs.getString("policy_digest"),
                            json.list(rs.getString("capabilities_json")), json.map(rs.getString("labels_json")),
                            maxConcurrency, Views.instant(rs.getLong("since"))));
                }
            }
        }
        return out;
    }
}
