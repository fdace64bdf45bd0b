/** How long the ledger keeps finished commands: {@link dev.hostops.dispatcher.retention.LedgerRetention}. */
package dev.hostops.dispatcher.retention;
