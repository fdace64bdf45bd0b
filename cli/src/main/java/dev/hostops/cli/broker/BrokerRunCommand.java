package dev.hostops.cli.broker;

import dev.hostops.broker.embedded.EmbeddedBroker;
import dev.hostops.broker.embedded.EmbeddedBrokerOptions;
import dev.hostops.cli.support.Shutdown;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hostops broker run}: an MQTT 5 broker in this process, for one machine or tests. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the embedded MQTT 5 broker (HiveMQ CE) until Ctrl-C.",
        footer = {"", "Example:", "  hostops broker run --port 1883 --data-dir ~/.hostops/broker"})
public final class BrokerRunCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "1883", description = "TCP port (0 picks a free one; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Persistence (default ~/.hostops/broker).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".hostops", "broker");
        EmbeddedBroker broker = new EmbeddedBroker(new EmbeddedBrokerOptions(dir, port, bind));
        broker.start();
        System.err.println("hostops broker: MQTT 5 on " + broker.url() + " (data in " + dir + "); Ctrl-C stops it.");
        Shutdown.awaitSignal(broker::stop);
        return 0;
    }
}
