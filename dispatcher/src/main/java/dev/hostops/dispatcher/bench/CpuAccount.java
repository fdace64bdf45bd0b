package dev.hostops.dispatcher.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a phase's CPU went. The dispatcher, the simulated nodes and the load (HTTP client or
 * publisher) share the bench's JVM and the broker shares the machine, so the phase's rate is the
 * machine's, not the dispatcher's. This splits the JVM's CPU time by thread role (thread names),
 * adds the broker process's, and divides by the commands of the phase: from the dispatcher's own
 * share follows what it could correlate with the machine's CPUs to itself.
 *
 * <p>Roles: {@code hostops-sim-*} threads are the simulated nodes; {@code main}, the JDK HTTP
 * client's and the common pool's threads and the bench's own MQTT clients are the load; every
 * other Java thread ({@code hostops-*}, the HTTP server's {@code vert.x-*}) is the dispatcher. JVM
 * time (collector, compilers, threads that ended during the phase) is the process's CPU time
 * minus the Java threads'; it is counted against the dispatcher in the ceiling, to err low.
 */
public final class CpuAccount {
    enum Role { DISPATCHER, SIMULATED_NODES, LOAD }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * CPU milliseconds per command, by role.
     *
     * @param busiestDispatcherThread the dispatcher thread with the most CPU (a one-thread stage caps the rate at
     *                                1000 / its ms per command, whatever the CPUs)
     * @param dispatcherCeilingPerSecond commands per second the dispatcher's own CPU (plus all JVM time) allows on
     *                                this machine's CPUs, or on its busiest thread, whichever is lower
     */
    public record Report(double dispatcherMs, double simulatedNodesMs, double loadMs, double jvmMs, double brokerMs,
                  String busiestDispatcherThread, double busiestDispatcherThreadMs, long dispatcherCeilingPerSecond) {}

    /** CPU nanoseconds so far: per live Java thread, the whole process, the broker process. */
    record Snapshot(Map<Long, String> names, Map<Long, Long> threadNanos, long processNanos, long brokerNanos) {}

    private CpuAccount() {}

    static Snapshot take(long brokerPid) {
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> nanos = new HashMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(t.getThreadId());
            if (cpu >= 0) {
                names.put(t.getThreadId(), t.getThreadName());
                nanos.put(t.getThreadId(), cpu);
            }
        }
        return new Snapshot(names, nanos, DispatcherBench.cpuNanos(), processCpuNanos(brokerPid));
    }

    static Report between(Snapshot before, Snapshot after, long commands) {
        Map<Role, Long> byRole = new EnumMap<>(Role.class);
        String busiest = null;
        long busiestNanos = 0;
        long javaThreads = 0;
        for (Map.Entry<Long, Long> e : after.threadNanos().entrySet()) {
            long used = e.getValue() - before.threadNanos().getOrDefault(e.getKey(), 0L);
            String name = after.names().get(e.getKey());
            Role role = roleOf(name);
            byRole.merge(role, used, Long::sum);
            javaThreads += used;
            if (role == Role.DISPATCHER && used > busiestNanos) {
                busiestNanos = used;
                busiest = name;
            }
        }
        long jvm = Math.max(0, (after.processNanos() - before.processNanos()) - javaThreads);
        long broker = after.brokerNanos() < 0 || before.brokerNanos() < 0 ? -1 : after.brokerNanos() - before.brokerNanos();
        long n = Math.max(1, commands);
        double dispatcherMs = perCommand(byRole.getOrDefault(Role.DISPATCHER, 0L), n);
        double jvmMs = perCommand(jvm, n);
        double busiestMs = perCommand(busiestNanos, n);
        int cpus = Runtime.getRuntime().availableProcessors();
        long ceiling = Math.round(Math.min(cpus * 1000.0 / Math.max(1e-6, dispatcherMs + jvmMs), 1000.0 / Math.max(1e-6, busiestMs)));
        return new Report(dispatcherMs, perCommand(byRole.getOrDefault(Role.SIMULATED_NODES, 0L), n),
                perCommand(byRole.getOrDefault(Role.LOAD, 0L), n), jvmMs, broker < 0 ? -1 : perCommand(broker, n),
                busiest == null ? null : busiest.replaceAll("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|[0-9a-f]{8}$", "…"),
                busiestMs, ceiling);
    }

    static Role roleOf(String thread) {
        if (thread.startsWith(SimulatedNodes.THREAD_PREFIX)) {
            return Role.SIMULATED_NODES;
        }
        if (thread.equals("main") || thread.startsWith("HttpClient-") || thread.startsWith("ForkJoinPool")
                || thread.contains("bench-orchestrator-") || thread.contains("bench-floor-")) {
            return Role.LOAD;
        }
        return Role.DISPATCHER;
    }

    private static double perCommand(long nanos, long commands) {
        return Math.round(nanos / 1e6 / commands * 1000) / 1000.0;
    }

    /** utime + stime of another process from /proc (clock ticks of 10 ms on Linux), or -1. */
    static long processCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat(5), counted after the command name: indexes 11 and 12
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 10_000_000L;
        } catch (Exception e) {
            return -1;
        }
    }
}
