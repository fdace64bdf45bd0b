/**
 * The dispatcher's durable ledger: every command, every state change with its time, results, log
 * chunks, node presence, approvals and anomalies, in SQLite (default) or PostgreSQL.
 *
 * <p>{@link dev.hostops.dispatcher.ledger.Ledger} is the API; {@code internal} is the JDBC
 * implementation (one writer thread that commits many events per transaction).
 */
package dev.hostops.dispatcher.ledger;
