package dev.hostops.dispatcher.http;

import dev.hostops.broker.Transport;
import dev.hostops.dispatcher.DispatcherConfig;
import dev.hostops.dispatcher.auth.TokenStore;
import dev.hostops.dispatcher.command.CommandService;
import dev.hostops.dispatcher.command.ControlService;
import dev.hostops.dispatcher.events.EventBus;
import dev.hostops.dispatcher.events.EventJournal;
import dev.hostops.dispatcher.fanout.FanOutService;
import dev.hostops.dispatcher.ledger.Ledger;
import dev.hostops.dispatcher.metrics.DispatcherMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** What the HTTP routes use; built by the {@link dev.hostops.dispatcher.Dispatcher}. */
public record Services(
        DispatcherConfig config,
        TokenStore tokens,
        Ledger ledger,
        Transport transport,
        CommandService commands,
        ControlService control,
        FanOutService fanOut,
        EventBus events,
        EventJournal journal,
        DispatcherMetrics metrics,
        PrometheusMeterRegistry prometheus) {}
