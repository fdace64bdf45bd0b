package dev.hostops.dispatcher.ledger;

import static dev.hostops.dispatcher.ledger.Fixtures.exec;
import static dev.hostops.dispatcher.ledger.Fixtures.newId;
import static dev.hostops.dispatcher.ledger.Fixtures.state;
import static dev.hostops.dispatcher.ledger.Fixtures.succeeded;
import static dev.hostops.dispatcher.ledger.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Signature;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A command's normal life, regressions and id conflicts, on both databases. */
class LedgerLifecycleTest extends LedgerTestBase {

    @ParameterizedTest
    @MethodSource("databases")
    void submitStatesAndResultGiveATerminalCommandWithEveryTime(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String id = newId();

        SubmitOutcome submitted = ledger.recordCommand(exec(id, "node-a"), "api:tier2", null, t(0));
        assertThat(submitted.kind()).isEqualTo(SubmitOutcome.Kind.CREATED);
        assertThat(submitted.command().status()).isEqualTo(CommandStatus.QUEUED);

        assertThat(ledger.applyState(state(id, "node-a", CommandStatus.DELIVERED, 1)).outcome()).isEqualTo(Applied.Outcome.APPLIED);
        assertThat(ledger.applyState(state(id, "node-a", CommandStatus.RUNNING, 2)).status()).isEqualTo(CommandStatus.RUNNING);
        Applied result = ledger.applyResult(succeeded(id, "node-a", 2, 5));
        assertThat(result).isEqualTo(new Applied(Applied.Outcome.APPLIED, id, CommandStatus.SUCCEEDED));

        CommandView c = ledger.command(id).orElseThrow();
        assertThat(c.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(c.node()).isEqualTo("node-a");
        assertThat(c.argv()).containsExactly("git", "fetch", "--all");
        assertThat(c.source()).isEqualTo("api:tier2");
        assertThat(c.exitCode()).isZero();
        assertThat(c.expiresAt()).isEqualTo(t(600));
        assertThat(c.timeoutMs()).isEqualTo(60_000L);
        assertThat(c.times()).isEqualTo(new StateTimes(t(0), t(1), null, t(2), t(2), t(5)));
        assertThat(c.resultJson()).isEqualTo(MessageCodec.standard().encodeToString(succeeded(id, "node-a", 2, 5)));
        assertThat(c.error()).isNull();
        assertThat(c.execKnown()).isTrue();

        assertThat(ledger.history(id)).extracting(HistoryEntry::status, HistoryEntry::at, HistoryEntry::origin)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(CommandStatus.QUEUED, t(0), "exec"),
                        org.assertj.core.groups.Tuple.tuple(CommandStatus.DELIVERED, t(1), "state"),
                        org.assertj.core.groups.Tuple.tuple(CommandStatus.RUNNING, t(2), "state"),
                        org.assertj.core.groups.Tuple.tuple(CommandStatus.SUCCEEDED, t(5), "result"));
        assertThat(ledger.history("unknown")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aStateChangeThatIsNotAStateOfTheNodeIsRejectedBeforeItIsQueued(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String id = newId();

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ledger.applyStateAsync(state(id, "node-a", CommandStatus.SUCCEEDED, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("result");
        assertThat(ledger.command(id)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aStateOlderThanTheCurrentOneDoesNotMoveTheStatusBack(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String id = newId();
        ledger.recordCommand(exec(id, "node-a"), "broker", null, t(0));
        ledger.applyState(state(id, "node-a", CommandStatus.RUNNING, 2));

        Applied late = ledger.applyState(state(id, "node-a", CommandStatus.DELIVERED, 1));

        assertThat(late).isEqualTo(new Applied(Applied.Outcome.IGNORED, id, CommandStatus.RUNNING));
        CommandView c = ledger.command(id).orElseThrow();
        assertThat(c.status()).isEqualTo(CommandStatus.RUNNING);
        assertThat(c.times().delivered()).as("the late state's time is still recorded").isEqualTo(t(1));
        assertThat(ledger.applyState(state(id, "node-a", CommandStatus.RUNNING, 2)).outcome()).isEqualTo(Applied.Outcome.DUPLICATE);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aTerminalStatusNeverChangesAgain(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String id = newId();
        ledger.recordCommand(exec(id, "node-a"), "broker", null, t(0));
        ledger.applyResult(succeeded(id, "node-a", 1, 2));

        assertThat(ledger.applyState(state(id, "node-a", CommandStatus.RUNNING, 1)).status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(ledger.applyResult(succeeded(id, "node-a", 1, 2)).outcome()).isEqualTo(Applied.Outcome.DUPLICATE);
        Applied other = ledger.applyResult(Fixtures.failed(id, "node-a", 1, 3));
        assertThat(other).isEqualTo(new Applied(Applied.Outcome.ANOMALY, id, CommandStatus.SUCCEEDED));
        assertThat(ledger.anomalies(10)).singleElement()
                .satisfies(a -> assertThat(a.kind()).isEqualTo(Anomaly.Kind.CONFLICTING_RESULT));
        assertThat(ledger.command(id).orElseThrow().exitCode()).isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theSameExecTwiceIsIdempotentAndADifferentOneConflicts(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String id = newId();
        Exec exec = exec(id, "node-a");
        ledger.recordCommand(exec, "api:tier2", null, t(0));

        SubmitOutcome again = ledger.recordCommand(exec(id, "node-a"), "broker", null, t(9));
        assertThat(again.kind()).isEqualTo(SubmitOutcome.Kind.EXISTS);
        assertThat(again.command().source()).isEqualTo("api:tier2");
        assertThat(again.command().times().queued()).isEqualTo(t(0));

        SubmitOutcome otherArgv = ledger.recordCommand(Exec.of(id, "node-a", List.of("git", "pull")), "api:tier2", null, t(1));
        assertThat(otherArgv.kind()).isEqualTo(SubmitOutcome.Kind.CONFLICT);
        assertThat(otherArgv.command().argv()).containsExactly("git", "fetch", "--all");

        SubmitOutcome otherNode = ledger.recordCommand(exec(id, "node-b"), "api:tier2", null, t(1));
        assertThat(otherNode.kind()).isEqualTo(SubmitOutcome.Kind.CONFLICT);
        assertThat(ledger.command(id).orElseThrow().node()).isEqualTo("node-a");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRetryWhoseDeadlineWasFilledInIsTheStoredCommand(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        String id = newId();
        Signature first = new Signature("ed25519", "k1", "first");
        Exec stored = exec(id, "node-a").withExpiresAt(t(600)).withSignature(first);
        assertThat(ledger.recordCommand(stored, "api:tier2", null, t(0)).kind()).isEqualTo(SubmitOutcome.Kind.CREATED);

        // The same body sent again without expiresAt: the dispatcher fills in a later deadline and signs again.
        Exec retry = exec(id, "node-a").withExpiresAt(t(700)).withSignature(new Signature("ed25519", "k1", "second"));
        SubmitOutcome again = Ledger.await(ledger.recordCommandAsync(retry, "api:tier2", null, t(100), true));
        assertThat(again.kind()).isEqualTo(SubmitOutcome.Kind.EXISTS);
        assertThat(again.exec()).isEqualTo(stored);
        assertThat(again.command().expiresAt()).isEqualTo(t(600));

        // A deadline the caller chose is part of the command: a different one conflicts.
        SubmitOutcome chosen = Ledger.await(ledger.recordCommandAsync(retry, "api:tier2", null, t(100), false));
        assertThat(chosen.kind()).isEqualTo(SubmitOutcome.Kind.CONFLICT);
        // Anything else that differs conflicts, filled-in deadline or not.
        Exec otherArgv = Exec.of(id, "node-a", List.of("git", "pull")).withExpiresAt(t(700));
        assertThat(Ledger.await(ledger.recordCommandAsync(otherArgv, "api:tier2", null, t(100), true)).kind())
                .isEqualTo(SubmitOutcome.Kind.CONFLICT);
        assertThat(ledger.command(id).orElseThrow().expiresAt()).isEqualTo(t(600));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void waitingForAWriteInsideAStageOfALedgerFutureIsRefusedNotADeadlock(TestDatabases.Kind db) throws Exception {
        LedgerConfig config = fresh(db);
        Ledger ledger = open(config);
        String first = newId();
        String second = newId();

        java.util.concurrent.CompletableFuture<SubmitOutcome> chained;
        // Hold the database's write lock so that the first write cannot complete before the
        // dependent stage is attached: the stage then surely runs on the writer thread.
        try (var blocker = java.sql.DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
             var st = blocker.createStatement()) {
            st.execute(config.isPostgres() ? "BEGIN; LOCK TABLE commands IN EXCLUSIVE MODE" : "BEGIN IMMEDIATE");
            chained = ledger.recordCommandAsync(exec(first, "node-a"), "broker", null, t(0))
                    .thenApply(done -> ledger.recordCommand(exec(second, "node-a"), "broker", null, t(0)));
            st.execute("COMMIT");
        }

        org.assertj.core.api.Assertions.assertThat(chained).failsWithin(java.time.Duration.ofSeconds(30))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(IllegalStateException.class).withMessageContaining("writer thread");
        assertThat(ledger.command(first)).isPresent();
        ledger.ping(); // the writer still serves
    }

    @ParameterizedTest
    @MethodSource("databases")
    void everythingFailsWithClosedAfterClose(TestDatabases.Kind db) {
        Ledger ledger = open(db);
        ledger.ping();
        ledger.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(ledger::ping)
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.reason()).isEqualTo(LedgerException.Reason.CLOSED));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.command("x"))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.reason()).isEqualTo(LedgerException.Reason.CLOSED));
        org.assertj.core.api.Assertions.assertThat(ledger.applyResultAsync(succeeded(newId(), "node-a", 1, 2)))
                .failsWithin(java.time.Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(LedgerException.class);
    }
}
