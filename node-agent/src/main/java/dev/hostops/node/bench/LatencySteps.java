package dev.hostops.node.bench;

import dev.hostops.contracts.CommandStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * Where a trivial command's time goes, seen from the Tier-2 client's clock: when it published
 * the exec, and when the agent's DELIVERED state, RUNNING state and result reached it. So each
 * step holds the agent's work between two messages plus one trip through the broker:
 * <ul>
 *   <li>published → delivered: broker to agent, decoding, the durable claim of the id;</li>
 *   <li>delivered → running: policy, approval check, the RUNNING record;</li>
 *   <li>running → result: spawn, the process, its exit, the result record and publish.</li>
 * </ul>
 */
final class LatencySteps {
    /** Arrival times (nanoTime) of one command's messages. */
    private static final class Arrivals {
        volatile long delivered;
        volatile long running;
        volatile long result;
    }

    private final Map<String, Arrivals> arrivals = new ConcurrentHashMap<>();
    private final Histogram toDelivered = Stats.histogram();
    private final Histogram toRunning = Stats.histogram();
    private final Histogram toResult = Stats.histogram();

    /** @param status the state the agent announced for {@code id} */
    void state(String id, CommandStatus status, long at) {
        Arrivals a = arrivals.computeIfAbsent(id, k -> new Arrivals());
        if (status == CommandStatus.DELIVERED) {
            a.delivered = at;
        } else if (status == CommandStatus.RUNNING) {
            a.running = at;
        }
    }

    void result(String id, long at) {
        arrivals.computeIfAbsent(id, k -> new Arrivals()).result = at;
    }

    /** Records one measured command published at {@code published}; commands with a message missing are left out. */
    void record(String id, long published) {
        Arrivals a = arrivals.remove(id);
        if (a == null || a.delivered == 0 || a.running == 0 || a.result == 0) {
            return;
        }
        toDelivered.recordValue(Math.max(0, a.delivered - published));
        toRunning.recordValue(Math.max(0, a.running - a.delivered));
        toResult.recordValue(Math.max(0, a.result - a.running));
    }

    /** True once all three of the command's messages arrived. */
    boolean complete(String id) {
        Arrivals a = arrivals.get(id);
        return a != null && a.delivered != 0 && a.running != 0 && a.result != 0;
    }

    /**
     * For a burst: when its last DELIVERED state arrived, and when each of its results did (the
     * burst's arrivals are forgotten). The DELIVERED time is 0 when one of them was missed.
     */
    Burst burst(List<String> ids) {
        long lastDelivered = 0;
        long[] results = new long[ids.size()];
        boolean missed = false;
        for (int i = 0; i < ids.size(); i++) {
            Arrivals a = arrivals.remove(ids.get(i));
            missed |= a == null || a.delivered == 0;
            lastDelivered = a == null ? lastDelivered : Math.max(lastDelivered, a.delivered);
            results[i] = a == null ? 0 : a.result;
        }
        return new Burst(missed ? 0 : lastDelivered, results);
    }

    record Burst(long lastDelivered, long[] results) {}

    void forget(String id) {
        arrivals.remove(id);
    }

    AgentBenchReport.Steps report() {
        return new AgentBenchReport.Steps(Stats.of(toDelivered), Stats.of(toRunning), Stats.of(toResult));
    }
}
