package dev.hostops.dispatcher.bench;

import dev.hostops.dispatcher.Dispatcher;
import dev.hostops.dispatcher.DispatcherConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The dispatcher as a process of its own for {@link RssPhase} and {@link DispatcherProcessPhase}, started
 * exactly as {@code hostops dispatcher run} starts it (a {@link Dispatcher} from a
 * {@link DispatcherConfig}), from the same class path as the bench. Prints {@code HTTP_PORT=<port>}
 * when running and stops when its standard input closes.
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

    /** A running dispatcher process; closing it closes its standard input and waits for it to stop. */
    static final class Running implements AutoCloseable {
        private final Process process;
        final int httpPort;

        private Running(Process process, int httpPort) {
            this.process = process;
            this.httpPort = httpPort;
        }

        long pid() {
            return process.pid();
        }

        /**
         * Starts one with these JVM options, its data and log ({@code dispatcher.log}) in {@code dir},
         * and returns once it serves HTTP.
         */
        static Running start(List<String> jvmOptions, String brokerUrl, Path dir, Path tokens, String clientId) throws Exception {
            Files.createDirectories(dir);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(jvmOptions);
            String logback = System.getProperty("logback.configurationFile");
            if (logback != null) {
                cmd.add("-Dlogback.configurationFile=" + logback);
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DispatcherProcess.class.getName(), brokerUrl,
                    dir.resolve("data").toString(), tokens.toString(), clientId));
            Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("dispatcher.log").toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("HTTP_PORT=")) {
                    return new Running(p, Integer.parseInt(line.substring("HTTP_PORT=".length())));
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("the dispatcher process ended before it ran; see " + dir.resolve("dispatcher.log"));
        }

        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
