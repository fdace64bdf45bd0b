package dev.hostops.dispatcher.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dispatcher's resident memory with many commands in flight, measured on a dispatcher process
 * of its own ({@link DispatcherProcess}), so the simulators' memory is not counted: simulated nodes
 * that take commands and never answer, commands POSTed until the dispatcher holds
 * {@code inFlight} of them not terminal; VmRSS is sampled from {@code /proc/<pid>/status}.
 */
public final class RssPhase {
    private final DispatcherBenchOptions options;
    private final java.util.function.Consumer<String> progress;

    RssPhase(DispatcherBenchOptions options, java.util.function.Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * @param idleMiB         after start, the simulated nodes announced, before any command
     * @param inFlightMiB     when every POST was answered (all commands committed, published, none answered)
     * @param settledMiB      five seconds later (what the dispatcher does after the answers is done)
     * @param peakMiB         the highest VmRSS sampled during the phase
     * @param hwmMiB          the kernel's VmHWM (peak RSS) at the end
     */
    public record Report(String jvmOptions, int inFlight, long failedPosts, double submitSeconds, long idleMiB, long inFlightMiB,
                  long settledMiB, long peakMiB, long hwmMiB) {}

    Report run(BenchMosquitto mosquitto, Path dir, Path tokens, String token) throws Exception {
        progress.accept("rss: starting the dispatcher process (JVM options: " + options.dispatcherJvmText() + ")");
        try (DispatcherProcess.Running p = DispatcherProcess.Running.start(options.dispatcherJvm(), mosquitto.url(), dir, tokens,
                "bench-rss-" + UUID.randomUUID().toString().substring(0, 8));
             SimulatedNodes sims = SimulatedNodes.start("127.0.0.1", mosquitto.port(), "rss", 100, 1, false, Map.of(), progress)) {
            sims.answering(false);
            int port = p.httpPort;
            Thread.sleep(2000);
            long idle = rssMiB(p.pid(), "VmRSS:");
            progress.accept("rss: idle dispatcher " + idle + " MiB; submitting " + options.inFlight() + " commands nobody answers");
            BenchHttp http = new BenchHttp("http://127.0.0.1:" + port, token);
            AtomicLong peak = new AtomicLong(idle);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(rssMiB(p.pid(), "VmRSS:"), Math::max);
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
            long t0 = System.nanoTime();
            BenchHttp.Posted posted = http.postCommands(sims.names(), options.inFlight(), options.window(),
                    t0 + options.phaseTimeout().toNanos());
            double submit = DispatcherBench.seconds(t0);
            long inFlight = rssMiB(p.pid(), "VmRSS:");
            progress.accept("rss: " + (options.inFlight() - posted.unanswered()) + " POSTs answered in " + submit + " s; RSS " + inFlight
                    + " MiB; " + sims.execsSeen() + " execs reached the nodes");
            Thread.sleep(5000);
            long settled = rssMiB(p.pid(), "VmRSS:");
            sampler.interrupt();
            long hwm = rssMiB(p.pid(), "VmHWM:");
            return new Report(options.dispatcherJvmText(), options.inFlight(), posted.notDone(), submit, idle, inFlight, settled,
                    Math.max(peak.get(), settled), hwm);
        }
    }

    static long rssMiB(long pid, String field) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith(field)).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).orElse(-1L);
        } catch (Exception e) {
            return -1;
        }
    }
}
