package dev.hostops.node;

import dev.hostops.contracts.audit.AuditLog;
import dev.hostops.broker.AccessRefusedException;
import dev.hostops.broker.ConnectionState;
import dev.hostops.broker.MessageHandler;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.node.exec.ProcessRunner;
import dev.hostops.node.exec.RunnerOptions;
import dev.hostops.node.http.HealthServer;
import dev.hostops.node.internal.AccessRefusals;
import dev.hostops.node.internal.CommandProcessor;
import dev.hostops.node.internal.ExecutionGate;
import dev.hostops.node.internal.NodePublisher;
import dev.hostops.node.internal.OutboxPublisher;
import dev.hostops.node.internal.PolicyWatcher;
import dev.hostops.node.internal.PresenceFactory;
import dev.hostops.node.internal.SessionTakeovers;
import dev.hostops.node.metrics.NodeMetrics;
import dev.hostops.node.policy.HostModel;
import dev.hostops.node.policy.Policy;
import dev.hostops.node.policy.PolicyEngine;
import dev.hostops.node.store.CommandRecord;
import dev.hostops.node.store.NodeStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent. {@link #start()} opens the data directory, loads the policy, reports commands
 * that were running when the agent last died as LOST, connects to the broker (retrying with
 * backoff until it can), subscribes to the node's cmd and control topics and announces itself
 * online. {@link #close()} cancels what runs, announces offline and disconnects. Both idempotent.
 * See {@link AgentState} for the states.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    /**
     * How long a stop waits for cancelled commands to end and their results to be stored: the kill
     * grace (SIGTERM, then SIGKILL after it) and a little for the store.
     */
    private static final Duration STOP_GRACE = RunnerOptions.DEFAULT_KILL_GRACE.plusSeconds(2);
    /** Why a stop cancels running commands; their results say so. */
    static final String STOPPING = "the node agent is stopping";

    private final NodeConfig config;
    private final MessageCodec codec = MessageCodec.standard();
    private final MeterRegistry registry;
    private final NodeMetrics metrics;
    private final String sessionId = UUID.randomUUID().toString();
    private final AtomicReference<AgentState> state = new AtomicReference<>(AgentState.NEW);

    private NodeStore store;
    private AuditLog audit;
    private PolicyWatcher policyWatcher;
    private ProcessRunner runner;
    private Transport transport;
    private OutboxPublisher outbox;
    private volatile CommandProcessor processor;
    private ExecutorService preparer;
    private ExecutorService workers;
    private ScheduledExecutorService scheduler;
    private HealthServer health;
    private PresenceFactory presence;
    private CompletableFuture<Void> subscriptions;
    private AccessRefusals refusals;
    /** The online presence was acknowledged at start: a start that fails after it says offline again. */
    private volatile boolean announced;
    private final CountDownLatch ready = new CountDownLatch(1);

    public NodeAgent(NodeConfig config) {
        this.config = config;
        // The Prometheus registry only when /metrics is served: an idle agent stays smaller without it.
        this.registry = config.http() != null
                ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
                : new SimpleMeterRegistry();
        this.metrics = new NodeMetrics(registry);
    }

    public AgentState state() {
        return state.get();
    }

    public NodeConfig config() {
        return config;
    }

    /** The agent's meters: Prometheus when /metrics is served, otherwise an in-memory registry. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The address of the /healthz and /metrics server, when one was configured. */
    public java.util.Optional<java.net.InetSocketAddress> httpAddress() {
        return java.util.Optional.ofNullable(health).map(HealthServer::address);
    }

    /**
     * Starts the agent; returns once it is subscribed to its topics.
     *
     * @throws NodeStartException when the data directory, the policy or the broker settings are
     *                            unusable (the message says which), or when the broker refuses this
     *                            login, or refuses it the node's own topics ({@link #checkAccess}):
     *                            that never mends by itself; not when the broker is merely down: then
     *                            it keeps retrying
     */
    public synchronized void start() throws NodeStartException {
        if (!state.compareAndSet(AgentState.NEW, AgentState.STARTING)) {
            return;
        }
        try {
            store = NodeStore.open(config.dataDir(), config.durability());
            audit = AuditLog.open(config.audit());
            Policy policy = Policy.load(config.policyFile());
            HostModel host = HostModel.current();
            PolicyEngine policyEngine = new PolicyEngine(policy, host);
            RunnerOptions d = RunnerOptions.defaults();
            runner = new ProcessRunner(new RunnerOptions(d.chunkBytes(), d.flushInterval(), config.tailKiB() * 1024, d.killGrace()));
            presence = new PresenceFactory(sessionId, config.nodeId(), policy.digest(), config.labels(), config.maxConcurrency());
            scheduler = Executors.newScheduledThreadPool(1, daemon("hostops-node-timer"));
            preparer = Executors.newSingleThreadExecutor(daemon("hostops-node-prepare"));
            workers = Executors.newCachedThreadPool(daemon("hostops-node-worker"));
            refusals = new AccessRefusals(config.nodeId(), config.broker().username());
            transport = connectWithRetry();
            checkAccess();
            NodePublisher publisher = new NodePublisher(transport, config.nodeId(), codec);
            outbox = new OutboxPublisher(store, transport, config.nodeId(), refusals);
            processor = new CommandProcessor(config.nodeId(), store, policyEngine, runner, publisher, outbox,
                    new ExecutionGate(config.maxConcurrency(), workers), config.queueInMemory(), preparer, metrics,
                    config.defaultTimeout(), config.maxTimeout(), audit);
            metrics.gauges(processor::runningCount, processor::waitingCount, this::outboxSize);
            policyWatcher = new PolicyWatcher(config.policyFile(), policy, host, audit, config.nodeId(), engine -> {
                processor.usePolicy(engine);
                presence.policyChanged(engine.policy().digest());
                announce();
            });
            recover();
            ready.countDown();
            outbox.start();
            SessionTakeovers takeovers = new SessionTakeovers(config.nodeId(), config.clientId(), System::nanoTime);
            transport.addListener((previous, current, cause) -> {
                if (current == ConnectionState.CONNECTED) {
                    announce();
                    outbox.kick();
                } else if (current == ConnectionState.RECONNECTING && !takeovers.lost(cause)) {
                    LOG.warn("lost the broker connection ({}); reconnecting", cause == null ? "no cause given" : cause.toString());
                }
            });
            outbox.kick();
            scheduler.scheduleAtFixedRate(this::announce, config.heartbeat().toMillis(), config.heartbeat().toMillis(),
                    TimeUnit.MILLISECONDS);
            scheduler.scheduleAtFixedRate(this::prune, 1, 24 * 60, TimeUnit.MINUTES);
            scheduler.scheduleWithFixedDelay(policyWatcher::check, PolicyWatcher.POLL.toMillis(), PolicyWatcher.POLL.toMillis(),
                    TimeUnit.MILLISECONDS);
            if (config.http() != null) {
                health = new HealthServer(config.http(), this::health, ((PrometheusMeterRegistry) registry)::scrape);
                health.start();
            }
            state.set(AgentState.RUNNING);
            LOG.info("node {} online at {} (policy {}, security {}, up to {} at once)", config.nodeId(),
                    config.broker(), policy.digest(), policy.security().wire(), config.maxConcurrency());
        } catch (NodeStartException e) {
            offlineAfterFailedStart();
            stopQuietly();
            throw e;
        } catch (Exception e) {
            offlineAfterFailedStart();
            stopQuietly();
            throw new NodeStartException("node agent could not start: " + e.getMessage(), e);
        }
    }

    /**
     * Before the agent takes any command: the broker must have granted the cmd and control
     * subscriptions (a broker that refuses one answers MQTT SUBACK 0x87 or closes the AMQP channel
     * with 403) and must take the online presence (Mosquitto grants every subscription and filters
     * by its ACL at delivery, so another node's login shows only here: PUBACK 0x87). A refusal is a
     * login or ACL that does not match this node and does not mend itself: the start fails with
     * the topic, the broker's reason and what to check. Any other failure of the presence (a slow
     * broker) is left to the heartbeat.
     */
    private void checkAccess() throws Exception {
        try {
            subscriptions.get(TransportOptions.DEFAULT_CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw refusedOr(e, "the broker did not take the subscriptions to node " + config.nodeId() + "'s cmd and control topics");
        }
        try {
            transport.publish(OutboundMessage.retained(Topics.presence(config.nodeId()), codec.encode(presence.online())))
                    .get(TransportOptions.DEFAULT_CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            announced = true;
        } catch (ExecutionException e) {
            NodeStartException refused = refusedOr(e, null);
            if (refused != null) {
                throw refused;
            }
            LOG.warn("the online presence was not published ({}); the heartbeat publishes it again", e.getCause().toString());
        } catch (TimeoutException e) {
            LOG.warn("the broker did not acknowledge the online presence within {} s; the heartbeat publishes it again",
                    TransportOptions.DEFAULT_CONNECT_TIMEOUT.toSeconds());
        }
    }

    /** The start failure for a refusal ({@code otherwise} null: null when it is something else). */
    private NodeStartException refusedOr(ExecutionException e, String otherwise) {
        Throwable cause = e.getCause();
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof AccessRefusedException) {
            return new NodeStartException("node " + config.nodeId() + " does not start: " + cause.getMessage() + ". "
                    + refusals.advice(), cause);
        }
        return otherwise == null ? null : new NodeStartException(otherwise + ": " + cause.getMessage(), cause);
    }

    /** A start that failed after the online presence: the retained presence must not say online. */
    private void offlineAfterFailedStart() {
        if (!announced || transport == null) {
            return;
        }
        try {
            transport.publish(OutboundMessage.retained(Topics.presence(config.nodeId()), codec.encode(presence.offline())))
                    .get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("offline presence not published: {}", e.toString());
        }
    }

    private Transport connectWithRetry() throws NodeStartException {
        Duration delay = TransportOptions.DEFAULT_RECONNECT_MIN;
        int attempt = 0;
        while (true) {
            Transport t = Transports.create(transportOptions());
            try {
                // Handlers before the connect: a persistent session delivers queued commands at once.
                subscriptions = subscribe(t);
                t.connect().get(TransportOptions.DEFAULT_CONNECT_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
                return t;
            } catch (InterruptedException e) {
                t.close();
                Thread.currentThread().interrupt();
                throw new NodeStartException("interrupted while connecting to " + config.broker(), e);
            } catch (Exception e) {
                t.close();
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof AccessRefusedException) {
                    // Wrong user name or password: retrying the same login cannot succeed.
                    throw new NodeStartException("node " + config.nodeId() + " does not start: " + cause.getMessage()
                            + ". Check the user name and password in the broker URL (`hostops broker acl` wrote this"
                            + " node's to its credentials file; see docs/SECURITY.md, Broker ACLs).", cause);
                }
                if (++attempt == 1 || attempt % 10 == 0) {
                    LOG.warn("broker {} not reachable ({}); retrying every {} s at most", config.broker(),
                            cause.getMessage(), TransportOptions.DEFAULT_RECONNECT_MAX.toSeconds());
                }
                if (state.get() != AgentState.STARTING) {
                    throw new NodeStartException("stopped while connecting to " + config.broker(), cause);
                }
                sleep(delay);
                delay = delay.multipliedBy(2).compareTo(TransportOptions.DEFAULT_RECONNECT_MAX) > 0
                        ? TransportOptions.DEFAULT_RECONNECT_MAX : delay.multipliedBy(2);
            }
        }
    }

    private TransportOptions transportOptions() {
        byte[] will = codec.encode(presence.offline());
        return TransportOptions.builder(config.broker(), config.clientId())
                .persistentSession(true)
                .will(OutboundMessage.retained(Topics.presence(config.nodeId()), will))
                .tls(config.tls())
                .build();
    }

    /**
     * Subscribes the cmd and control topics. Messages wait (unacknowledged, in order) until the
     * processor exists and the last run's unfinished commands are recovered.
     */
    private CompletableFuture<Void> subscribe(Transport t) {
        return CompletableFuture.allOf(
                // Acknowledged once the command is durably claimed; the next one is taken meanwhile.
                t.subscribe(Topics.cmd(config.nodeId()), Qos.AT_LEAST_ONCE, MessageHandler.deferred(m -> {
                    ready.await();
                    return processor.onCommand(m);
                })),
                t.subscribe(Topics.control(config.nodeId()), Qos.AT_LEAST_ONCE, m -> {
                    ready.await();
                    processor.onControl(m);
                }));
    }

    /**
     * Commands the last run left unfinished: RUNNING ones are LOST; those awaiting approval are
     * asked again; those that never started go on, read from the store in pages (there may be
     * more of them than fit in memory).
     */
    private void recover() throws Exception {
        for (CommandRecord r : store.startedOrAsking()) {
            if (r.status() == CommandStatus.RUNNING) {
                LOG.warn("command {} was running when the agent stopped; reporting it LOST (never re-run)", r.commandId());
                processor.finishLost(r);
            } else {
                LOG.info("command {} was {} when the agent stopped; asking again", r.commandId(), r.status());
                processor.resume(r);
            }
        }
        processor.resumeWaiting();
    }

    private void announce() {
        Transport t = transport;
        if (t == null || state.get() == AgentState.STOPPING || state.get() == AgentState.STOPPED) {
            return;
        }
        t.publish(OutboundMessage.retained(Topics.presence(config.nodeId()), codec.encode(presence.online())))
                .whenComplete((ok, e) -> {
                    if (e != null && !refusals.report(e, "the node looks offline to the dispatcher")) {
                        LOG.debug("presence not published: {}", e.toString());
                    }
                });
    }

    private void prune() {
        try {
            int n = store.prune(Instant.now().minus(config.retention()));
            if (n > 0) {
                LOG.info("forgot {} finished commands older than {}", n, config.retention());
            }
        } catch (Exception e) {
            LOG.warn("pruning the command store failed: {}", e.toString());
        }
    }

    private long outboxSize() {
        try {
            return store == null ? 0 : store.outboxSize();
        } catch (Exception e) {
            return -1;
        }
    }

    private HealthServer.Health health() {
        boolean connected = transport != null && transport.state() == ConnectionState.CONNECTED;
        boolean healthy = state.get() == AgentState.RUNNING && connected;
        String json = String.format("{\"status\":\"%s\",\"node\":\"%s\",\"state\":\"%s\",\"broker\":\"%s\","
                        + "\"running\":%d,\"outbox\":%d,\"version\":\"%s\"}",
                healthy ? "ok" : "degraded", config.nodeId(), state.get(), transport == null ? "NEW" : transport.state(),
                processor == null ? 0 : processor.runningCount(), outboxSize(), Version.current());
        return new HealthServer.Health(healthy, json);
    }

    /**
     * Stops the agent, in this order, so that a restart never turns a command into LOST:
     * <ol>
     *   <li>nothing new is started (a command that would start stays claimed in the store and
     *       the next start runs it), and running commands are cancelled: their process trees are
     *       killed and their CANCELLED results say that the agent is stopping;</li>
     *   <li>it waits (up to the kill grace and a little more) until those results are stored in
     *       the outbox;</li>
     *   <li>while the broker is connected, it waits up to {@link NodeConfig#drainTimeout()} until
     *       the broker has acknowledged everything in the outbox: so a dispatcher has the results
     *       before it hears that the node is offline. What is left stays in the outbox and is
     *       published by the next start;</li>
     *   <li>the offline presence, the clean disconnect, and everything is released.</li>
     * </ol>
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        AgentState previous = state.getAndSet(AgentState.STOPPING);
        if (previous == AgentState.STOPPED || previous == AgentState.STOPPING) {
            state.set(AgentState.STOPPED);
            return;
        }
        if (processor != null) {
            processor.stop(STOPPING);
            int unsettled = processor.awaitIdle(STOP_GRACE);
            if (unsettled > 0) {
                LOG.warn("{} cancelled command(s) still have no stored result after {} s; the next start reports them LOST",
                        unsettled, STOP_GRACE.toSeconds());
            }
        }
        if (transport != null && transport.state() == ConnectionState.CONNECTED) {
            drainOutbox(config.drainTimeout());
            try {
                transport.publish(OutboundMessage.retained(Topics.presence(config.nodeId()), codec.encode(presence.offline())))
                        .get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("offline presence not published: {}", e.toString());
            }
        } else if (outboxSize() > 0) {
            LOG.info("the broker is not connected: {} message(s) wait in the outbox and are published at the next start",
                    outboxSize());
        }
        stopQuietly();
        LOG.info("node {} stopped", config.nodeId());
    }

    /**
     * Waits until the broker has acknowledged everything in the outbox (an entry leaves it only
     * then), while the connection holds, for at most {@code limit}.
     */
    private void drainOutbox(Duration limit) {
        outbox.kick();
        long end = System.nanoTime() + limit.toNanos();
        long left = outboxSize();
        while (left > 0 && System.nanoTime() < end && transport.state() == ConnectionState.CONNECTED) {
            sleep(Duration.ofMillis(10));
            left = outboxSize();
        }
        if (left > 0) {
            LOG.warn("the broker did not acknowledge {} message(s) of the outbox within {} ms ({}); they are published "
                            + "at the next start", left, limit.toMillis(),
                    transport.state() == ConnectionState.CONNECTED ? "drainTimeout" : "the connection was lost");
        }
    }

    private void stopQuietly() {
        state.set(AgentState.STOPPED);
        closeQuietly(health);
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        closeQuietly(outbox);
        closeQuietly(transport);
        closeQuietly(runner);
        if (preparer != null) {
            preparer.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        closeQuietly(store);
        closeQuietly(audit);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
