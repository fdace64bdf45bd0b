package dev.hostops.node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options a node agent runs with: the {@code hostops} launcher, the service that
 * {@code hostops node install} registers and the benchmark's idle-RSS process all use these, so
 * what is measured is what runs. An agent mostly waits; these keep it small while it does:
 * <ul>
 *   <li>the serial collector and a heap that starts small and is given back after a burst
 *       (MinHeapFreeRatio / MaxHeapFreeRatio);</li>
 *   <li>C1 only ({@code TieredStopAtLevel=1}): the C2 compiler's arenas alone cost about 15 MiB of
 *       resident memory during start-up and never come back (75 against 90 MiB idle, measured
 *       here), while an agent's hot paths (JSON, a spawn, a SQLite write) do not need C2;</li>
 *   <li>a small code cache and 512 KiB thread stacks.</li>
 * </ul>
 * The launchers {@code hostops} and {@code hostops.cmd} carry the same list (a test keeps them in
 * step).
 */
public final class NodeJvmOptions {
    public static final List<String> RECOMMENDED = List.of(
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xms8m", "-Xmx96m", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30", "-XX:ReservedCodeCacheSize=32m", "-Xss512k");

    private NodeJvmOptions() {}

    /** {@code java <options> -jar jar <args>}: how the service and the benchmark start an agent. */
    public static List<String> command(Path java, Path jar, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(RECOMMENDED);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        return List.copyOf(command);
    }

    /** The options as one line, as the launchers write them. */
    public static String line() {
        return String.join(" ", RECOMMENDED);
    }
}
