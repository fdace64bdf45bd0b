package dev.hostops.dispatcher.ledger.internal;

/** The few places where SQLite and PostgreSQL need different SQL. */
enum Dialect {
    SQLITE(""),
    // Several dispatchers may share one PostgreSQL ledger: lock the rows a batch reads so that
    // the read-decide-write of one instance is not interleaved with another's.
    POSTGRES(" FOR UPDATE");

    private final String lockSuffix;

    Dialect(String lockSuffix) {
        this.lockSuffix = lockSuffix;
    }

    /** Appended to a SELECT whose rows the transaction will update. */
    String lockSuffix() {
        return lockSuffix;
    }

    /**
     * After a table name: read it through this index. SQLite's planner, without statistics,
     * prefers an index on an equality even when it then sorts the whole table for an ORDER BY
     * ... LIMIT that another index gives in order; PostgreSQL's planner weighs both itself.
     */
    String indexedBy(String index) {
        return this == SQLITE ? " INDEXED BY " + index : "";
    }

    static Dialect of(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:postgresql:") ? POSTGRES : SQLITE;
    }
}
