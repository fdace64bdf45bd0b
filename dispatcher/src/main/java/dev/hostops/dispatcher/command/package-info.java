/** Accepting commands (record, publish, keep while the broker is down) and sending control messages (cancel, approvals). */
package dev.hostops.dispatcher.command;
