/** The broker side: every node topic observed, decoded and applied to the ledger before it is acknowledged. */
package dev.hostops.dispatcher.observe;
