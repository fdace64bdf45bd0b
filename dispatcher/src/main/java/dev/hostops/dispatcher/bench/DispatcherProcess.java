package dev.hostops.dispatcher.bench;

import dev.hostops.dispatcher.Dispatcher;
import dev.hostops.dispatcher.DispatcherConfig;
import java.nio.file.Path;

/**
 * The dispatcher as a process of its own for {@link RssPhase}, started exactly as
 * {@code hostops dispatcher run} starts it (a {@link Dispatcher} from a {@link DispatcherConfig}),
 * from the same class path as the bench. Prints {@code HTTP_PORT=<port>} when running and stops
 * when its standard input closes.
 *
 * <p>Arguments: broker URL, data directory, tokens file, client id.
 */
public final class DispatcherProcess {
    private DispatcherProcess() {}

    public static void main(String[] args) throws Exception {
        try (Dispatcher d = new Dispatcher(DispatcherConfig.builder().broker(args[0]).dataDir(Path.of(args[1]))
                .tokens(Path.of(args[2])).clientId(args[3]).http("127.0.0.1:0").build())) {
            d.start();
            System.out.println("HTTP_PORT=" + d.httpPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the bench closes our standard input (or kills us)
            }
        }
    }
}
