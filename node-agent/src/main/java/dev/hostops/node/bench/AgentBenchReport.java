package dev.hostops.node.bench;

import dev.hostops.broker.bench.MachineInfo;

/**
 * The figures of one {@code hostops bench agent} run.
 *
 * @param agent            how the measured agent ran: its own JVM (with the command line's options) or the bench's
 * @param launchMechanism  how the JVM starts processes, the floor's and the agent's alike
 *                         ({@code LaunchMechanism}: VFORK on Linux up to JDK 21, else the JDK's default)
 * @param spawnFloor       a bare ProcessBuilder start + wait of the trivial program
 * @param brokerRoundTrip  publish to a topic, a second client answers, until the answer arrives
 * @param latency          exec published until its result arrived, one at a time
 * @param latencySteps     the same commands split at the agent's DELIVERED and RUNNING states ({@link LatencySteps})
 * @param idleRssMiB       resident memory of an idle agent process started like the service, or null
 * @param backlog          a burst far beyond what may wait in memory, or null when not asked for
 */
public record AgentBenchReport(MachineInfo machine, String broker, String agent, String durability, int concurrency,
                               String launchMechanism, Stats spawnFloor, Stats brokerRoundTrip, Stats latency, Steps latencySteps, Throughput throughput,
                               LogStream logStream, Long idleRssMiB, Backlog backlog) {

    /** Per step of a trivial command, as the client saw the agent's messages arrive. */
    public record Steps(Stats publishedToDelivered, Stats deliveredToRunning, Stats runningToResult) {}

    /**
     * {@code commands} published at once to the running agent, timed from the first publish to the
     * last result. The agent claims every command of a burst durably before it runs most of them
     * (claims are cheap and group-committed; runs wait for a slot), so the burst has two parts:
     *
     * @param allClaimedSeconds         when the last DELIVERED state arrived (null if one was missed)
     * @param afterClaimsPerSecond      results per second from then to the last result: the rate of
     *                                  running what is already claimed, at the agent's concurrency
     */
    public record Throughput(int commands, double seconds, double commandsPerSecond, Double allClaimedSeconds,
                             Double afterClaimsPerSecond) {}

    public record LogStream(long bytesProduced, long bytesReceived, double seconds, double mibPerSecond, boolean complete) {}

    /**
     * {@code commands} published at once to a fresh agent.
     *
     * @param succeeded  how many ended SUCCEEDED (all of them, or the run failed)
     * @param peakRssMiB the agent process's peak resident memory over the phase (VmHWM); null when
     *                   the agent ran in the bench's JVM
     * @param heapLimit  the agent's -Xmx, for reading the peak against
     */
    public record Backlog(int commands, int succeeded, double seconds, double commandsPerSecond, Long peakRssMiB,
                          String heapLimit) {}
}
