package dev.hostops.dispatcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench's split of CPU time by role: names to roles, and the per-command arithmetic. */
class CpuAccountTest {

    @Test
    void threadNamesMapToTheirRoles() {
        assertThat(CpuAccount.roleOf(SimulatedNodes.THREAD_PREFIX + "vert.x-eventloop-thread-0")).isEqualTo(CpuAccount.Role.SIMULATED_NODES);
        assertThat(CpuAccount.roleOf("vert.x-eventloop-thread-0")).isEqualTo(CpuAccount.Role.DISPATCHER);
        assertThat(CpuAccount.roleOf("hostops-ledger-writer")).isEqualTo(CpuAccount.Role.DISPATCHER);
        assertThat(CpuAccount.roleOf("hostops-mqtt-io-bench-dispatcher-1a2b3c4d")).isEqualTo(CpuAccount.Role.DISPATCHER);
        assertThat(CpuAccount.roleOf("main")).isEqualTo(CpuAccount.Role.LOAD);
        assertThat(CpuAccount.roleOf("HttpClient-1-Worker-0")).isEqualTo(CpuAccount.Role.LOAD);
        assertThat(CpuAccount.roleOf("hostops-mqtt-io-bench-orchestrator-1a2b3c4d")).isEqualTo(CpuAccount.Role.LOAD);
    }

    @Test
    void perCommandFiguresAndTheCeilingComeFromTheDifferenceOfTwoSnapshots() {
        Map<Long, String> names = Map.of(1L, "hostops-ledger-writer", 2L, "vert.x-eventloop-thread-0",
                3L, SimulatedNodes.THREAD_PREFIX + "vert.x-eventloop-thread-1", 4L, "main");
        CpuAccount.Snapshot before = new CpuAccount.Snapshot(names, Map.of(1L, 0L, 2L, 0L, 3L, 0L, 4L, 0L), 0, 0);
        // 1,000 commands: writer 100 ms, event loop 300 ms, simulators 50 ms, load 50 ms; the process
        // used 600 ms, so 100 ms were the JVM's own; the broker used 40 ms.
        CpuAccount.Snapshot after = new CpuAccount.Snapshot(names,
                Map.of(1L, 100_000_000L, 2L, 300_000_000L, 3L, 50_000_000L, 4L, 50_000_000L), 600_000_000L, 40_000_000L);

        CpuAccount.Report r = CpuAccount.between(before, after, 1_000);

        assertThat(r.dispatcherMs()).isEqualTo(0.4);
        assertThat(r.simulatedNodesMs()).isEqualTo(0.05);
        assertThat(r.loadMs()).isEqualTo(0.05);
        assertThat(r.jvmMs()).isEqualTo(0.1);
        assertThat(r.brokerMs()).isEqualTo(0.04);
        assertThat(r.busiestDispatcherThread()).isEqualTo("vert.x-eventloop-thread-0");
        assertThat(r.busiestDispatcherThreadMs()).isEqualTo(0.3);
        int cpus = Runtime.getRuntime().availableProcessors();
        // The lower of: the CPUs over dispatcher + JVM time (0.5 ms), one core over the busiest thread (0.3 ms).
        assertThat(r.dispatcherCeilingPerSecond()).isEqualTo(Math.round(Math.min(cpus * 1000 / 0.5, 1000 / 0.3)));
    }
}
