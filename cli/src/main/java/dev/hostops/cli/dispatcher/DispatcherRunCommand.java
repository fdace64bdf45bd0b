package dev.hostops.cli.dispatcher;

import dev.hostops.cli.support.Shutdown;
import dev.hostops.dispatcher.Dispatcher;
import dev.hostops.dispatcher.DispatcherConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hostops dispatcher run}: runs the dispatcher in the foreground until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the dispatcher in the foreground until Ctrl-C.",
                "Settings come from --config FILE, then HOSTOPS_* environment variables, then flags (see docs/API.md)."},
        footer = {"", "Examples:",
                "  hostops dispatcher run --broker mqtt://127.0.0.1:1883 --tokens tokens.yaml",
                "  hostops dispatcher run --broker amqp://hostops:secret@rabbit:5672/ --db jdbc:postgresql://db/hostops --http 0.0.0.0:8080"})
public final class DispatcherRunCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML file with the dispatcher's settings.")
    Path config;

    @Option(names = "--broker", paramLabel = "URL", description = "mqtt://, mqtts://, amqp://, amqps:// (default mqtt://127.0.0.1:1883).")
    String broker;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "Ledger database: jdbc:postgresql://... (default: SQLite in the data dir).")
    String db;

    @Option(names = "--http", paramLabel = "HOST:PORT", description = "Where the HTTP API listens (default 127.0.0.1:8080).")
    String http;

    @Option(names = "--tokens", paramLabel = "FILE", description = "Bearer tokens with roles (read, submit, approve, admin).")
    Path tokens;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the SQLite ledger lives (default ~/.hostops/dispatcher).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        DispatcherConfig.Builder b = DispatcherConfig.builder();
        if (config != null) {
            b.yaml(config);
        }
        b.env(System.getenv());
        if (broker != null) {
            b.broker(broker);
        }
        if (db != null) {
            b.db(db);
        }
        if (http != null) {
            b.http(http);
        }
        if (tokens != null) {
            b.tokens(tokens);
        }
        if (dataDir != null) {
            b.dataDir(dataDir);
        }
        DispatcherConfig cfg = b.build();
        Dispatcher dispatcher = new Dispatcher(cfg);
        System.err.println("hostops dispatcher: starting (" + cfg + ") ...");
        dispatcher.start();
        System.err.println("hostops dispatcher: API on http://" + cfg.httpHost() + ":" + dispatcher.httpPort() + "; Ctrl-C stops it.");
        if (cfg.tokensFile() == null) {
            System.err.println("hostops dispatcher: no --tokens file: only /healthz and /readyz answer (every other route needs a token).");
        }
        Shutdown.awaitSignal(dispatcher::close);
        return 0;
    }
}
