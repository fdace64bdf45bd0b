package dev.hostops.dispatcher;

import java.util.List;

/**
 * The JVM options a dispatcher runs with: the {@code hostops} and {@code hostops.cmd} launchers,
 * the container's entry point and the benchmark's RSS process all use these, so what is measured
 * is what runs (a test keeps the launchers in step).
 * <ul>
 *   <li>the serial collector: a dispatcher's live data is the commands in flight and the ledger's
 *       caches; it needs no concurrent collector, and G1's remembered sets and regions cost
 *       resident memory;</li>
 *   <li>a 128 MiB heap: with 10,000 commands in flight the process stays under 256 MiB resident
 *       (docs/BENCHMARKS.md); with the JVM's defaults (a quarter of the machine's memory) the same
 *       load peaks near 430 MiB. A larger fleet raises it with {@code HOSTOPS_JAVA_OPTS}
 *       ({@code JAVA_OPTS} in the container).</li>
 * </ul>
 */
public final class DispatcherJvmOptions {
    public static final List<String> RECOMMENDED = List.of("-XX:+UseSerialGC", "-Xmx128m");

    private DispatcherJvmOptions() {}

    /** The options as one line, as the launchers write them. */
    public static String line() {
        return String.join(" ", RECOMMENDED);
    }
}
