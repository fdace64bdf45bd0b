package dev.hostops.dispatcher.metrics;

/**
 * Every meter the dispatcher registers, in one place. Prometheus shows them with dots as
 * underscores and counters suffixed {@code _total}, e.g. {@code hostops_dispatcher_messages_received_total}.
 */
public enum MeterNames {
    /** Broker messages decoded and applied; tag {@code type}. */
    MESSAGES_RECEIVED("hostops.dispatcher.messages.received"),
    /** Broker messages that could not be decoded or applied; tags {@code topic_kind}, {@code code}. */
    MESSAGES_INVALID("hostops.dispatcher.messages.invalid"),
    /** Commands accepted by the API; tag {@code outcome} (published, queued, duplicate). */
    COMMANDS_SUBMITTED("hostops.dispatcher.commands.submitted"),
    /** Commands that reached a terminal state; tag {@code status}. */
    COMMANDS_FINISHED("hostops.dispatcher.commands.finished"),
    /** Finished commands the ledger forgot because they were older than the retention. */
    COMMANDS_PRUNED("hostops.dispatcher.commands.pruned"),
    /** Publishes to the broker that failed (they are retried while the command is QUEUED). */
    PUBLISH_FAILURES("hostops.dispatcher.publish.failures"),
    /** Commands waiting to be (re)published because the broker was not reachable. */
    PUBLISH_BACKLOG("hostops.dispatcher.publish.backlog"),
    /** HTTP requests; tags {@code route}, {@code status}. */
    HTTP_REQUESTS("hostops.dispatcher.http.requests"),
    /** Open server-sent-event streams. */
    SSE_STREAMS("hostops.dispatcher.sse.streams"),
    /** 1 while the broker connection is up. */
    BROKER_CONNECTED("hostops.dispatcher.broker.connected");

    private final String meterName;

    MeterNames(String meterName) {
        this.meterName = meterName;
    }

    public String meterName() {
        return meterName;
    }
}
