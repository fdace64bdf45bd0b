package dev.hostops.dispatcher.testing;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.dispatcher.Dispatcher;
import dev.hostops.dispatcher.DispatcherConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A dispatcher for a test: its own data directory and SQLite ledger, a tokens file with one token
 * per role, HTTP on a free port, a unique broker client id, fast sweeps. {@link #restart()} starts
 * a new dispatcher on the same data, client id and broker (a crash-and-restart).
 */
public final class Harness implements AutoCloseable {
    public static final String READ = "read-token-0123456789";
    public static final String SUBMIT = "submit-token-0123456789";
    public static final String APPROVE = "approve-token-0123456789";
    public static final String ADMIN = "admin-token-0123456789";
    public static final String UNKNOWN = "unknown-token-0123456789";
    /** submit, approve and read, on nodes named build-* only. */
    public static final String BUILDS_ONLY = "builds-only-token-0123456789";

    private final DispatcherConfig config;
    private Dispatcher dispatcher;
    private Api api;

    public Harness(Path dir, BrokerUrl broker, Duration lostGrace) {
        this(dir, broker, lostGrace, null);
    }

    /** With settings from a YAML file first (explicit test settings still win). */
    public Harness(Path dir, BrokerUrl broker, Duration lostGrace, Path yaml) {
        Path tokens = dir.resolve("tokens.yaml");
        try {
            Files.createDirectories(dir);
            Files.writeString(tokens, """
                    tokens:
                      - {name: reader, token: "%s", roles: [read]}
                      - {name: submitter, token: "%s", roles: [submit]}
                      - {name: approver, token: "%s", roles: [approve]}
                      - {name: ops, token: "%s", roles: [admin]}
                      - {name: builder, token: "%s", roles: [submit, approve, read], nodes: ["build-*"]}
                    """.formatted(READ, SUBMIT, APPROVE, ADMIN, BUILDS_ONLY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DispatcherConfig.Builder b = DispatcherConfig.builder();
        if (yaml != null) {
            b.yaml(yaml);
        }
        config = b
                .broker(broker)
                .clientId("dispatcher-test-" + UUID.randomUUID().toString().substring(0, 12))
                .dataDir(dir.resolve("data"))
                .http("127.0.0.1:0")
                .tokens(tokens)
                .lostGrace(lostGrace)
                .expiryGrace(Duration.ZERO)
                .sweepInterval(Duration.ofMillis(100))
                .maxBodyBytes(64 * 1024)
                .build();
        start();
    }

    private void start() {
        dispatcher = new Dispatcher(config);
        dispatcher.start();
        api = new Api(dispatcher.httpPort());
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public Api api() {
        return api;
    }

    /** Closes the running dispatcher (as a kill would: nothing drains) and starts a new one on the same data. */
    public void restart() {
        dispatcher.close();
        start();
    }

    /** Stops the dispatcher; {@link #startAgain()} brings it back. */
    public void stop() {
        dispatcher.close();
    }

    public void startAgain() {
        start();
    }

    @Override
    public void close() {
        if (dispatcher != null) {
            dispatcher.close();
        }
    }
}
