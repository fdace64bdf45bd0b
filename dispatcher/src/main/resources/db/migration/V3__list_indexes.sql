-- GET /v1/commands lists the newest first, by node, by status or both, 100 at a time. These
-- indexes give that order for each filter, so a list reads its 100 rows instead of sorting every
-- matching command (135 ms for a list of 100 out of 100,000 commands on SQLite before). The
-- node-and-status index replaces the one on (node, status): the same lookups, in time order.
DROP INDEX commands_node_status;
CREATE INDEX commands_node_status_created ON commands (node, status, created_at);
CREATE INDEX commands_node_created ON commands (node, created_at);
CREATE INDEX commands_status_created ON commands (status, created_at);
