package dev.hostops.node.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The gate's slots: jobs run up to the limit and wait in order; a reservation never overtakes a waiting job. */
class ExecutionGateTest {
    private final ExecutionGate gate = new ExecutionGate(2, Runnable::run);
    private final List<String> started = new ArrayList<>();
    private final List<CompletableFuture<Void>> running = new ArrayList<>();

    private Supplier<CompletableFuture<?>> job(String name) {
        return () -> {
            started.add(name);
            CompletableFuture<Void> done = new CompletableFuture<>();
            running.add(done);
            return done;
        };
    }

    @Test
    void jobsBeyondTheLimitWaitAndStartInOrder() {
        gate.submit(job("a"));
        gate.submit(job("b"));
        gate.submit(job("c"));
        gate.submit(job("d"));
        assertThat(started).containsExactly("a", "b");
        assertThat(gate.waiting()).isEqualTo(2);

        running.get(1).complete(null);
        assertThat(started).containsExactly("a", "b", "c");
        running.get(0).complete(null);
        assertThat(started).containsExactly("a", "b", "c", "d");
        assertThat(gate.running()).isEqualTo(2);
    }

    @Test
    void aReservationTakesAFreeSlotAndCountsAgainstTheLimit() {
        assertThat(gate.tryReserve()).isTrue();
        gate.submit(job("a"));
        gate.submit(job("b"));
        assertThat(started).containsExactly("a");
        assertThat(gate.waiting()).isEqualTo(1);

        gate.launchReserved(job("reserved"));
        assertThat(started).containsExactly("a", "reserved");
        running.get(1).complete(null);
        assertThat(started).containsExactly("a", "reserved", "b");
    }

    @Test
    void noReservationWhileAJobWaitsOrTheGateIsFull() {
        gate.submit(job("a"));
        gate.submit(job("b"));
        assertThat(gate.tryReserve()).isFalse(); // full
        gate.submit(job("c"));
        running.get(0).complete(null);           // c takes the slot a left
        assertThat(gate.tryReserve()).isFalse();
        gate.submit(job("d"));
        running.get(1).complete(null);           // d takes b's
        assertThat(started).containsExactly("a", "b", "c", "d");
        running.get(2).complete(null);
        assertThat(gate.tryReserve()).isTrue();  // nothing waits and a slot is free
    }

    @Test
    void aCancelledReservationHandsItsSlotToTheNextWaitingJob() {
        assertThat(gate.tryReserve()).isTrue();
        assertThat(gate.tryReserve()).isTrue();
        gate.submit(job("waiting"));
        assertThat(started).isEmpty();

        gate.cancelReservation();
        assertThat(started).containsExactly("waiting");
        gate.cancelReservation();
        assertThat(gate.running()).isEqualTo(1);
    }
}
