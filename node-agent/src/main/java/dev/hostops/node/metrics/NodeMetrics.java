package dev.hostops.node.metrics;

import dev.hostops.contracts.CommandStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The node agent's meters. Every name is declared here, once.
 */
public final class NodeMetrics {
    public static final String COMMANDS = "hostops.node.commands";
    public static final String EXECUTION = "hostops.node.execution";
    public static final String LOG_BYTES = "hostops.node.log.bytes";
    public static final String POLICY_DECISIONS = "hostops.node.policy.decisions";
    public static final String DROPPED_MESSAGES = "hostops.node.messages.dropped";
    public static final String DUPLICATES = "hostops.node.duplicates";
    public static final String RUNNING = "hostops.node.running";
    public static final String WAITING = "hostops.node.waiting";
    public static final String OUTBOX = "hostops.node.outbox";
    public static final String CLAIM_RETRIES = "hostops.node.claim.retries";
    public static final String RESULT_RETRIES = "hostops.node.result.retries";

    private final MeterRegistry registry;

    public NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void finished(CommandStatus status) {
        Counter.builder(COMMANDS).description("Commands by final status").tag("status", status.name())
                .register(registry).increment();
    }

    public void executed(Duration duration) {
        Timer.builder(EXECUTION).description("Wall time of commands that ran").register(registry).record(duration);
    }

    public void logBytes(String stream, long bytes) {
        Counter.builder(LOG_BYTES).description("Output bytes streamed").baseUnit("bytes").tag("stream", stream)
                .register(registry).increment(bytes);
    }

    public void policyDecision(String verdict) {
        Counter.builder(POLICY_DECISIONS).description("Policy verdicts").tag("verdict", verdict)
                .register(registry).increment();
    }

    public void dropped(String reason) {
        Counter.builder(DROPPED_MESSAGES).description("Messages dropped without a result (no readable id)")
                .tag("reason", reason).register(registry).increment();
    }

    /** A claim the store could not write (it is tried again; the message waits unacknowledged). */
    public void claimRetried(String code) {
        Counter.builder(CLAIM_RETRIES).description("Claims the node store could not write yet, by store error code")
                .tag("code", code).register(registry).increment();
    }

    /** A result or an answer the store could not write (it is tried again, kept in memory meanwhile). */
    public void resultRetried(String code) {
        Counter.builder(RESULT_RETRIES).description("Results and answers the node store could not write yet, by store error code")
                .tag("code", code).register(registry).increment();
    }

    public void duplicate() {
        Counter.builder(DUPLICATES).description("Repeated deliveries of a known command id").register(registry).increment();
    }

    public void gauges(Supplier<Number> running, Supplier<Number> waiting, Supplier<Number> outbox) {
        io.micrometer.core.instrument.Gauge.builder(RUNNING, running).description("Commands running now").register(registry);
        io.micrometer.core.instrument.Gauge.builder(WAITING, waiting)
                .description("Commands waiting in memory for a slot or an approval (more wait in the store)").register(registry);
        io.micrometer.core.instrument.Gauge.builder(OUTBOX, outbox).description("Messages waiting in the durable outbox")
                .register(registry);
    }
}
