/**
 * The hostops dispatcher: {@link dev.hostops.dispatcher.Dispatcher} ties together the ledger, the
 * broker observer, command submission (the ledger keeps what waits for the broker), deadlines,
 * fan-out and the HTTP API; {@link dev.hostops.dispatcher.DispatcherConfig} is its one
 * configuration type. The HTTP API is described in {@code docs/API.md}.
 */
package dev.hostops.dispatcher;
