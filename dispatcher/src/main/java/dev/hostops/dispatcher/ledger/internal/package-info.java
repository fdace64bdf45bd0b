/**
 * The JDBC ledger behind {@link dev.hostops.dispatcher.ledger.Ledger}: not an API.
 *
 * <ul>
 *   <li>{@code JdbcLedger} turns each write into an {@code Op} for the single {@code Writer}
 *       thread and serves reads from a separate pool ({@code Reads});</li>
 *   <li>the {@code Writer} commits up to {@code maxBatch} ops per transaction: a {@code Batch}
 *       reads all their command rows at once, {@code Transitions} applies the correlation rules
 *       in memory, and the batch writes the rows, history and anomalies back with JDBC batches;</li>
 *   <li>{@code Database} holds the connection pools and runs the Flyway migrations in
 *       {@code db/migration} (one schema for SQLite and PostgreSQL).</li>
 * </ul>
 */
package dev.hostops.dispatcher.ledger.internal;
