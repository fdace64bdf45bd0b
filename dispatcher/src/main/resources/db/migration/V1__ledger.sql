-- The dispatcher's ledger. One schema for SQLite and PostgreSQL: only types and syntax both
-- accept (TEXT, BIGINT, INTEGER, ON CONFLICT). Times are epoch milliseconds (UTC) in BIGINT
-- columns: portable, sortable, and exact across both databases.

CREATE TABLE commands (
    id                    TEXT    NOT NULL PRIMARY KEY,
    node                  TEXT    NOT NULL,
    status                TEXT    NOT NULL,
    exec_json             TEXT,              -- null until the exec was seen (a result may come first)
    source                TEXT,              -- api:<token name> | broker
    request_id            TEXT,              -- fan-out group
    expires_at            BIGINT,
    created_at            BIGINT  NOT NULL,  -- when the ledger first heard of the command
    queued_at             BIGINT,
    delivered_at          BIGINT,
    awaiting_approval_at  BIGINT,
    running_at            BIGINT,
    started_at            BIGINT,            -- from the result
    finished_at           BIGINT,            -- from the result, or when EXPIRED / LOST was declared
    exit_code             INTEGER,
    error_code            TEXT,
    error_message         TEXT,
    result_json           TEXT               -- the result message as received
);
CREATE INDEX commands_node_status ON commands (node, status);
CREATE INDEX commands_status_expires ON commands (status, expires_at);
CREATE INDEX commands_request ON commands (request_id);
CREATE INDEX commands_created ON commands (created_at);

-- Every status a command entered, with the time it entered it. A status is entered at most once.
CREATE TABLE command_history (
    command_id   TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    at           BIGINT  NOT NULL,  -- the event's own time
    recorded_at  BIGINT  NOT NULL,  -- when the ledger stored it
    origin       TEXT    NOT NULL,  -- exec | state | result | dispatcher
    detail       TEXT,
    PRIMARY KEY (command_id, status)
);

CREATE TABLE log_chunks (
    command_id  TEXT     NOT NULL,
    seq         BIGINT   NOT NULL,
    node        TEXT     NOT NULL,
    stream      TEXT     NOT NULL,
    data        TEXT     NOT NULL,
    encoding    TEXT,
    eof         INTEGER  NOT NULL,
    PRIMARY KEY (command_id, seq)
);

CREATE TABLE nodes (
    node                  TEXT    NOT NULL PRIMARY KEY,
    state                 TEXT    NOT NULL,
    session_id            TEXT    NOT NULL,
    offline_session_id    TEXT,             -- the session the last OFFLINE was about
    hostname              TEXT,
    os                    TEXT,
    arch                  TEXT,
    agent_version         TEXT,
    policy_digest         TEXT,
    capabilities_json     TEXT,
    labels_json           TEXT,
    max_concurrency       INTEGER,
    since                 BIGINT  NOT NULL,
    last_seen             BIGINT  NOT NULL
);

CREATE TABLE approvals (
    command_id           TEXT    NOT NULL PRIMARY KEY,
    node                 TEXT    NOT NULL,
    argv_json            TEXT,
    workdir              TEXT,
    resolved_executable  TEXT,
    reason               TEXT,
    requested_by         TEXT,
    deadline             BIGINT,
    requested_at         BIGINT,
    state                TEXT    NOT NULL,  -- PENDING | ALLOWED | DENIED
    decision             TEXT,
    approver             TEXT,
    decided_by           TEXT,
    decision_reason      TEXT,
    decided_at           BIGINT
);
CREATE INDEX approvals_state ON approvals (state);

CREATE TABLE anomalies (
    anomaly_id   TEXT    NOT NULL PRIMARY KEY,  -- command id, kind and received status: a repeat is one anomaly
    command_id   TEXT    NOT NULL,
    node         TEXT,
    kind         TEXT    NOT NULL,
    existing     TEXT,
    received     TEXT,
    payload      TEXT,
    at           BIGINT  NOT NULL
);
CREATE INDEX anomalies_at ON anomalies (at);
