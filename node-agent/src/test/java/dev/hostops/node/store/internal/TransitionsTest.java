package dev.hostops.node.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.node.store.StoreException;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransitionsTest {

    @ParameterizedTest
    @EnumSource(value = CommandStatus.class, names = {"DELIVERED", "AWAITING_APPROVAL"})
    void aCommandNotYetStartedMayStart(CommandStatus current) throws StoreException {
        assertThat(Transitions.toStarting("c", current)).isEqualTo(Transitions.Outcome.APPLY);
    }

    @ParameterizedTest
    @EnumSource(value = CommandStatus.class, names = {"QUEUED", "DELIVERED", "AWAITING_APPROVAL"}, mode = EnumSource.Mode.EXCLUDE)
    void aStartedOrFinishedCommandNeverStartsAgain(CommandStatus current) {
        assertThatThrownBy(() -> Transitions.toStarting("c", current))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.code()).isEqualTo(StoreException.Code.ILLEGAL_TRANSITION))
                .hasMessageContaining("c");
    }

    @Test
    void thePidIsRecordedOnce() throws StoreException {
        assertThat(Transitions.toRunning("c", CommandStatus.RUNNING, null, 5)).isEqualTo(Transitions.Outcome.APPLY);
        assertThat(Transitions.toRunning("c", CommandStatus.RUNNING, 5L, 5)).isEqualTo(Transitions.Outcome.ALREADY_DONE);
        assertThatThrownBy(() -> Transitions.toRunning("c", CommandStatus.RUNNING, 5L, 6)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> Transitions.toRunning("c", CommandStatus.LOST, 5L, 5)).isInstanceOf(StoreException.class);
    }

    @ParameterizedTest
    @EnumSource(value = CommandStatus.class, names = {"SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "LOST"})
    void aStartedCommandEndsWithAStatusThatRan(CommandStatus result) throws StoreException {
        assertThat(Transitions.toTerminal("c", CommandStatus.RUNNING, 7L, result)).isEqualTo(Transitions.Outcome.APPLY);
    }

    @Test
    void resultsThatContradictTheRecordAreRefused() {
        for (CommandStatus neverRan : EnumSet.of(CommandStatus.REJECTED, CommandStatus.EXPIRED)) {
            assertThatThrownBy(() -> Transitions.toTerminal("c", CommandStatus.RUNNING, 7L, neverRan)).isInstanceOf(StoreException.class);
        }
        for (CommandStatus ran : EnumSet.of(CommandStatus.SUCCEEDED, CommandStatus.FAILED, CommandStatus.TIMED_OUT, CommandStatus.LOST)) {
            assertThatThrownBy(() -> Transitions.toTerminal("c", CommandStatus.DELIVERED, null, ran)).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> Transitions.toTerminal("c", CommandStatus.AWAITING_APPROVAL, null, ran)).isInstanceOf(StoreException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CommandStatus.class, names = {"SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "REJECTED", "EXPIRED", "LOST"})
    void aFinishedCommandKeepsItsFirstResult(CommandStatus current) throws StoreException {
        assertThat(Transitions.toTerminal("c", current, 7L, CommandStatus.FAILED)).isEqualTo(Transitions.Outcome.ALREADY_DONE);
    }

    @ParameterizedTest
    @EnumSource(value = CommandStatus.class, names = {"REJECTED", "EXPIRED", "CANCELLED", "LOST", "FAILED"})
    void aStartWhoseSpawnFailedMayStillEndAsNeverRun(CommandStatus result) throws StoreException {
        // markStarting committed, then the spawn failed: no pid was ever recorded.
        assertThat(Transitions.toTerminal("c", CommandStatus.RUNNING, null, result)).isEqualTo(Transitions.Outcome.APPLY);
    }
}
