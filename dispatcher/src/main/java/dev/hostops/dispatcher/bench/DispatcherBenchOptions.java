package dev.hostops.dispatcher.bench;

import java.time.Duration;
import java.util.List;

/**
 * What {@link DispatcherBench} runs.
 *
 * @param commands          commands in the correlated-throughput phase (and in the broker-correlation phase)
 * @param warmup            commands sent the same way, unmeasured, before each of those two phases: a
 *                          dispatcher is a long-running service, so the figures are its steady state
 *                          once the JIT compiled the paths, not the first seconds of a fresh JVM
 * @param throughputNodes   simulated nodes they are spread over
 * @param window            HTTP submissions outstanding at once
 * @param fanOutNodes       simulated nodes one command is fanned out to
 * @param fanOutWarmup      fan-outs to the same nodes, unmeasured (but for the first, reported as
 *                          such), before the measured one: as for the warm-up commands, a fan-out
 *                          runs code the other phases do not (the plan, the view of thousands of
 *                          invocations), and the JIT compiles it during the first one
 * @param inFlight          commands left unanswered for the RSS phase
 * @param sendRunning       simulated nodes send a RUNNING state before the result (as a real agent does)
 * @param phaseTimeout      every phase stops here and reports what it had
 * @param dispatcherJvm     JVM options of the dispatcher processes the RSS and dispatcher-process phases
 *                          start (empty: the JVM's own defaults; the CLI passes those of
 *                          {@code hostops dispatcher run} unless told otherwise)
 */
public record DispatcherBenchOptions(int commands, int warmup, int throughputNodes, int window, int fanOutNodes, int fanOutWarmup, int inFlight,
                                     boolean sendRunning, Duration phaseTimeout, List<String> dispatcherJvm) {
    public DispatcherBenchOptions {
        if (commands < 1 || warmup < 0 || throughputNodes < 1 || window < 1 || fanOutNodes < 0 || fanOutWarmup < 0 || inFlight < 0) {
            throw new IllegalArgumentException("counts must be positive (warm-ups, fan-out nodes and in-flight may be 0 to skip)");
        }
        if (throughputNodes > fanOutNodes && fanOutNodes > 0) {
            throw new IllegalArgumentException("throughput nodes are a subset of the fan-out nodes: at most " + fanOutNodes);
        }
        dispatcherJvm = dispatcherJvm == null ? List.of() : List.copyOf(dispatcherJvm);
    }

    /** The dispatcher process's JVM options as one line, or "JVM defaults" when there are none. */
    String dispatcherJvmText() {
        return dispatcherJvm.isEmpty() ? "JVM defaults" : String.join(" ", dispatcherJvm);
    }

    public static DispatcherBenchOptions defaults() {
        return new DispatcherBenchOptions(20_000, 50_000, 100, 256, 5_000, 3, 10_000, true, Duration.ofSeconds(120), List.of());
    }
}
