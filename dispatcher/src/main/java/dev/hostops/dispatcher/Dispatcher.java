package dev.hostops.dispatcher;

import dev.hostops.contracts.audit.AuditLog;
import dev.hostops.broker.ConnectionState;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.dispatcher.auth.TokenStore;
import dev.hostops.dispatcher.command.CommandService;
import dev.hostops.dispatcher.command.ControlService;
import dev.hostops.dispatcher.command.OwnPublications;
import dev.hostops.dispatcher.sign.OutboundSigner;
import dev.hostops.dispatcher.deadline.DeadlineSweeper;
import dev.hostops.dispatcher.events.EventBus;
import dev.hostops.dispatcher.events.EventJournal;
import dev.hostops.dispatcher.events.EventKind;
import dev.hostops.dispatcher.fanout.FanOutService;
import dev.hostops.dispatcher.http.HttpApi;
import dev.hostops.dispatcher.http.Services;
import dev.hostops.dispatcher.internal.RetryingTransport;
import dev.hostops.dispatcher.ledger.Ledger;
import dev.hostops.dispatcher.ledger.LedgerConfig;
import dev.hostops.dispatcher.metrics.DispatcherMetrics;
import dev.hostops.dispatcher.metrics.MeterNames;
import dev.hostops.dispatcher.observe.BrokerObserver;
import dev.hostops.dispatcher.retention.LedgerRetention;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher service: ledger (also the outbox of accepted commands), broker observer, command submission,
 * deadlines, fan-out and the HTTP API, started and stopped together.
 *
 * <pre>
 * try (Dispatcher d = new Dispatcher(DispatcherConfig.builder().broker("mqtt://127.0.0.1:1883").build())) {
 *     d.start();
 *     ...
 * }
 * </pre>
 *
 * <p>{@link #start()} waits up to {@link #BROKER_START_WAIT} for the broker, then runs without it
 * (readyz answers 503) and keeps connecting in the background. Broker outages are ridden out:
 * commands are kept in the ledger and published when it is back. {@link #close()} is idempotent;
 * see {@link DispatcherState}.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** How long a submission waits for the broker's acknowledgement before answering "queued". */
    public static final Duration PUBLISH_WAIT = Duration.ofSeconds(5);
    /**
     * A node not heard from this long (20 of its default 30 s heartbeats) is taken as offline: on
     * a broker without a last will (AMQP) nothing else says a killed agent is gone.
     */
    public static final Duration NODE_SILENCE = Duration.ofMinutes(10);
    /** How long {@link #start()} waits for the broker before running without it (and connecting later). */
    public static final Duration BROKER_START_WAIT = Duration.ofSeconds(5);
    /** When the ledger first forgets commands older than the retention, and how often after that. */
    static final Duration RETENTION_FIRST_RUN = Duration.ofMinutes(1);
    static final Duration RETENTION_EVERY = Duration.ofHours(1);

    private final DispatcherConfig config;
    private final Object lifecycle = new Object();
    private volatile DispatcherState state = DispatcherState.NEW;

    private PrometheusMeterRegistry prometheus;
    private Ledger ledger;
    private AuditLog audit;
    private Transport transport;
    private Vertx vertx;
    private HttpApi http;
    private FanOutService fanOut;
    private CommandService commands;
    private BrokerObserver observer;
    private ScheduledExecutorService scheduler;
    /** Its own thread: a long first prune must not delay the deadline sweeps. */
    private ScheduledExecutorService retention;
    private EventBus events;
    /** The newest events of /v1/events, so that a client that reconnects goes on where it left. */
    private EventJournal journal;
    /** Since when the broker connection has held, or null while it is down (see {@link #NODE_SILENCE}). */
    private volatile java.time.Instant listeningSince;
    private int httpPort = -1;

    public Dispatcher(DispatcherConfig config) {
        this.config = config;
    }

    /** Starts every part; throws (after releasing what was started) if one cannot start. */
    public void start() {
        synchronized (lifecycle) {
            if (state != DispatcherState.NEW) {
                if (state == DispatcherState.RUNNING) {
                    return;
                }
                throw new IllegalStateException("a dispatcher starts once; this one is " + state);
            }
            state = DispatcherState.STARTING;
        }
        try {
            startParts();
            state = DispatcherState.RUNNING;
            LOG.info("dispatcher running: http {}:{}, broker {}, ledger {}", config.httpHost(), httpPort, config.broker(),
                    DispatcherConfig.redactDb(config.dbUrl()));
        } catch (RuntimeException e) {
            LOG.error("dispatcher failed to start: {}", e.getMessage());
            closeParts();
            state = DispatcherState.CLOSED;
            throw e;
        }
    }

    private void startParts() {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + config.dataDir(), e);
        }
        requireFreeHttpPort();
        TokenStore tokens = config.tokensFile() == null ? TokenStore.empty() : TokenStore.load(config.tokensFile());
        if (tokens.size() == 0) {
            LOG.warn("no bearer tokens configured: only /healthz and /readyz will answer");
        }
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DispatcherMetrics metrics = new DispatcherMetrics(prometheus);
        MessageCodec codec = MessageCodec.standard();
        // Before anything starts: a dispatcher told to sign must not run unsigned.
        OutboundSigner signer = OutboundSigner.load(config.signingKey(), codec);
        events = new EventBus();
        journal = new EventJournal(events, e -> e.kind() != EventKind.LOG, EventJournal.DEFAULT_CAPACITY);

        LedgerConfig ledgerConfig = LedgerConfig.of(config.dbUrl()).withExpiryGrace(config.expiryGrace()).withMeterRegistry(prometheus);
        if (config.dbUser() != null || config.dbPassword() != null) {
            ledgerConfig = ledgerConfig.withCredentials(config.dbUser(), config.dbPassword());
        }
        ledger = Ledger.open(ledgerConfig);
        audit = AuditLog.open(config.audit());

        transport = new RetryingTransport(TransportOptions.builder(config.broker(), config.clientId())
                .persistentSession(true)
                .build());
        metrics.gauge(MeterNames.BROKER_CONNECTED, () -> transport.state() == ConnectionState.CONNECTED ? 1 : 0);
        transport.addListener((previous, current, cause) ->
                listeningSince = current == ConnectionState.CONNECTED ? java.time.Instant.now() : null);
        // Subscribe before connecting, so that messages queued in the persistent session while the
        // dispatcher was down have a handler the moment the session resumes.
        OwnPublications own = transport.capabilities().noLocal() ? OwnPublications.untracked() : new OwnPublications();
        observer = new BrokerObserver(ledger, codec, events, metrics, own);
        observer.subscribe(transport);
        try {
            transport.connect().get(BROKER_START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("broker {} not reachable at start; running anyway (readyz 503, commands kept) and connecting in the background",
                    config.broker());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to the broker", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot connect to the broker: " + e.getCause().getMessage(), e.getCause());
        }

        commands = new CommandService(ledger, transport, codec, events, metrics,
                config.defaultExpiry(), PUBLISH_WAIT, signer).auditTo(audit).ownPublicationsIn(own);
        ControlService control = new ControlService(ledger, transport, codec, events, PUBLISH_WAIT, signer).auditTo(audit);
        fanOut = new FanOutService(ledger, commands, events, config.dataDir().resolve("fanout"), codec);
        DeadlineSweeper sweeper = new DeadlineSweeper(ledger, events, metrics, config.lostGrace(), NODE_SILENCE,
                () -> listeningSince, Clock.systemUTC());

        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hostops-dispatcher-sweeper");
            t.setDaemon(true);
            return t;
        });
        long every = config.sweepInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> safely(sweeper::sweep), every, every, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> safely(commands::publishBacklog), 0, every, TimeUnit.MILLISECONDS);
        LedgerRetention pruner = new LedgerRetention(ledger, metrics, config.retention(), Clock.systemUTC());
        retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hostops-ledger-retention");
            t.setDaemon(true);
            return t;
        });
        retention.scheduleWithFixedDelay(() -> safely(pruner::run), RETENTION_FIRST_RUN.toMillis(), RETENTION_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);

        vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(16));
        http = new HttpApi(vertx, new Services(config, tokens, ledger, transport, commands, control, fanOut, events, journal, metrics, prometheus));
        httpPort = http.start().toCompletionStage().toCompletableFuture().join();
    }

    /**
     * Fails before anything connects when the HTTP port is taken (most often: this dispatcher runs
     * already). Found by a user walkthrough: a second dispatcher connected to the broker first,
     * took the running one's session over under the same client id, and only then died of its
     * BindException. The port is bound and released here, and bound again by Vert.x once the rest
     * is up: a process that takes it in between still makes the start fail, only later.
     */
    private void requireFreeHttpPort() {
        if (config.httpPort() == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(config.httpHost(), config.httpPort()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + config.httpHost() + ":" + config.httpPort() + ": " + e.getMessage()
                    + " (is a dispatcher running already? choose another address with --http HOST:PORT)", e);
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("periodic task failed, will run again: {}", e.toString());
        }
    }

    public DispatcherState state() {
        return state;
    }

    /** The HTTP port actually bound (useful with port 0); -1 before start. */
    public int httpPort() {
        return httpPort;
    }

    public DispatcherConfig config() {
        return config;
    }

    /** The ledger, for tools and tests that read it directly. */
    public Ledger ledger() {
        return ledger;
    }

    /** The in-process event bus (what {@code /v1/events} streams). */
    public EventBus events() {
        return events;
    }

    /**
     * Stops the HTTP server, the scheduler, fan-out dispatch and the broker connection, then
     * closes the ledger (which commits what is queued). Idempotent. Commands waiting for the
     * broker stay in the ledger and go out after the next start.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (state == DispatcherState.CLOSED || state == DispatcherState.CLOSING) {
                return;
            }
            state = DispatcherState.CLOSING;
        }
        closeParts();
        state = DispatcherState.CLOSED;
    }

    private void closeParts() {
        if (http != null) {
            quietly(() -> http.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
        }
        if (vertx != null) {
            quietly(() -> vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
        }
        for (ScheduledExecutorService periodic : new ScheduledExecutorService[] {scheduler, retention}) {
            if (periodic != null) {
                periodic.shutdownNow();
                quietly(() -> periodic.awaitTermination(5, TimeUnit.SECONDS));
            }
        }
        if (fanOut != null) {
            quietly(fanOut::close);
        }
        if (commands != null) {
            quietly(commands::close);
        }
        if (observer != null) {
            observer.stop();
        }
        if (transport != null) {
            quietly(transport::close);
        }
        if (ledger != null) {
            quietly(ledger::close);
        }
        if (audit != null) {
            quietly(audit::close);
        }
        if (prometheus != null) {
            quietly(prometheus::close);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("while closing: {}", e.toString());
        }
    }
}
