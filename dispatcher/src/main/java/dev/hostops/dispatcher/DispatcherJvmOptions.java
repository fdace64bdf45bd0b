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
 *   <li>C1 only ({@code -XX:TieredStopAtLevel=1}): measured on a dispatcher process of its own
 *       (docs/BENCHMARKS.md, session 8), C2 kept compiling through 100,000 commands and four
 *       5,000-node fan-outs, recompiling the same hot methods up to ten times, and its one
 *       compiler thread took a large share of two CPUs: with C1 the first fan-out to 5,000 nodes
 *       took 2.7 to 3.0 s instead of 4.8 to 6.1, 80,000 commands through HTTP cost 0.76 ms of CPU
 *       each instead of 0.91, and the process stayed at 229 MiB instead of 293. A dispatcher that
 *       runs near its limit for hours on more cores may do better with C2: a later
 *       {@code -XX:TieredStopAtLevel=4} in {@code HOSTOPS_JAVA_OPTS} turns it back on.</li>
 * </ul>
 */
public final class DispatcherJvmOptions {
    public static final List<String> RECOMMENDED = List.of("-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1");

    private DispatcherJvmOptions() {}

    /** The options as one line, as the launchers write them. */
    public static String line() {
        return String.join(" ", RECOMMENDED);
    }
}
