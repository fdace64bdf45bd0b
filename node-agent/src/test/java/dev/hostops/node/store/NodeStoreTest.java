package dev.hostops.node.store;

import static dev.hostops.node.store.Fixtures.T0;
import static dev.hostops.node.store.Fixtures.execJson;
import static dev.hostops.node.store.Fixtures.publication;
import static dev.hostops.node.store.Fixtures.succeeded;
import static dev.hostops.node.store.Fixtures.withStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command lifecycle in a real SQLite file. */
class NodeStoreTest {
    @TempDir
    Path dir;

    NodeStore store;

    @BeforeEach
    void open() throws StoreException {
        store = NodeStore.open(dir.resolve("data"), NodeStore.Durability.FULL);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void createsTheDataDirectoryAndTheDatabaseFile() {
        assertThat(store.file()).isEqualTo(dir.resolve("data").resolve(NodeStore.FILE_NAME));
        assertThat(Files.isRegularFile(store.file())).isTrue();
    }

    @Test
    void theFirstClaimIsNewAndRecordsDelivered() throws StoreException {
        Claim claim = store.claim("c1", execJson("c1"), T0);

        assertThat(claim).isInstanceOf(Claim.New.class);
        CommandRecord expected = new CommandRecord("c1", CommandStatus.DELIVERED, execJson("c1"), T0, null, null, null);
        assertThat(claim.record()).isEqualTo(expected);
        assertThat(store.find("c1")).contains(expected);
    }

    @Test
    void aRepeatedClaimIsSeenWithTheFirstRecord() throws StoreException {
        store.claim("c1", execJson("c1"), T0);

        Claim again = store.claim("c1", "{\"different\":true}".getBytes(), T0.plusSeconds(9));

        assertThat(again.isNew()).isFalse();
        assertThat(again.record().execJson()).isEqualTo(execJson("c1"));
        assertThat(again.record().receivedAt()).isEqualTo(T0);
    }

    /**
     * A claim whose commit failed as far as its caller knows, though the data reached the disk: the
     * caller tries the same claim again (same receivedAt, same bytes) and must get the command,
     * not a "seen before" that leaves it claimed and never run until a restart.
     */
    @Test
    void theSameClaimTriedAgainGetsItBackWithItsSeq() throws Exception {
        Claim.New first = (Claim.New) store.claim("c1", execJson("c1"), T0);

        Claim again = store.claimAgainAsync("c1", execJson("c1"), T0).get();

        assertThat(again).isInstanceOf(Claim.New.class);
        assertThat(((Claim.New) again).seq()).isEqualTo(first.seq());
        assertThat(again.record()).isEqualTo(first.record());
        // A repeat delivery is received at another instant, even a nanosecond later: seen, as before.
        assertThat(store.claimAgainAsync("c1", execJson("c1"), T0.plusNanos(1)).get().isNew()).isFalse();
        // A first claim is never handed a record, whatever its instant.
        assertThat(store.claim("c1", execJson("c1"), T0).isNew()).isFalse();
        // Once the command has gone further than the claim, nothing is handed back.
        store.markStarting("c1", T0.plusSeconds(1));
        store.markRunning("c1", T0.plusSeconds(1), 42);
        assertThat(store.claimAgainAsync("c1", execJson("c1"), T0).get().isNew()).isFalse();
        assertThat(store.find("c1").orElseThrow().status()).isEqualTo(CommandStatus.RUNNING);
    }

    /**
     * The short way's claim-and-start failed as far as the agent knows, so it spawned nothing and
     * claims the command the usual way with the same receivedAt. Had the commit happened, the
     * record says RUNNING without a pid: it goes back to DELIVERED, to be run, not reported LOST.
     */
    @Test
    void aClaimTriedAgainAfterAnUnsureClaimStartingGetsTheCommandBackDelivered() throws Exception {
        store.claimStarting("c1", execJson("c1"), T0, T0.plusMillis(1));

        Claim again = store.claimAgainAsync("c1", execJson("c1"), T0).get();

        assertThat(again).isInstanceOf(Claim.New.class);
        CommandRecord delivered = new CommandRecord("c1", CommandStatus.DELIVERED, execJson("c1"), T0, null, null, null);
        assertThat(again.record()).isEqualTo(delivered);
        assertThat(store.find("c1")).contains(delivered);
        assertThat(store.deliveredAfter(0, 10)).extracting(QueuedCommand::commandId).containsExactly("c1");
        // A started command with a pid is a process that may be running: never handed back.
        store.claimStarting("c2", execJson("c2"), T0, T0);
        store.markRunning("c2", T0, 42);
        assertThat(store.claimAgainAsync("c2", execJson("c2"), T0).get().isNew()).isFalse();
        // Different bytes under the same receivedAt are not the same claim.
        store.claimStarting("c3", execJson("c3"), T0, T0);
        assertThat(store.claimAgainAsync("c3", "{\"different\":true}".getBytes(), T0).get().isNew()).isFalse();
        assertThat(store.find("c3").orElseThrow().status()).isEqualTo(CommandStatus.RUNNING);
    }

    /** The short way: claimed and started in one commit; from then on it is a started command like any other. */
    @Test
    void claimStartingRecordsANewCommandRunningWithoutAPid() throws Exception {
        Claim claim = store.claimStarting("c1", execJson("c1"), T0, T0.plusMillis(1));

        assertThat(claim).isInstanceOf(Claim.New.class);
        CommandRecord expected = new CommandRecord("c1", CommandStatus.RUNNING, execJson("c1"), T0, T0.plusMillis(1), null, null);
        assertThat(claim.record()).isEqualTo(expected);
        assertThat(store.find("c1")).contains(expected);
        // Started once, ever: the usual way's gate refuses it, and a restart finds it RUNNING (LOST).
        assertThatThrownBy(() -> store.markStarting("c1", T0))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(StoreException.Code.ILLEGAL_TRANSITION));
        assertThat(store.startedOrAsking()).extracting(CommandRecord::commandId).containsExactly("c1");
        assertThat(store.deliveredAfter(0, 10)).isEmpty();
        store.markRunning("c1", T0, 42);
        assertThat(store.complete("c1", withStatus("c1", CommandStatus.SUCCEEDED), publication(withStatus("c1", CommandStatus.SUCCEEDED))))
                .isTrue();
    }

    @Test
    void claimStartingAKnownIdChangesNothing() throws Exception {
        store.claim("c1", execJson("c1"), T0);

        Claim again = store.claimStarting("c1", "{\"different\":true}".getBytes(), T0.plusSeconds(1), T0.plusSeconds(1));

        assertThat(again).isInstanceOf(Claim.Seen.class);
        assertThat(store.find("c1")).contains(new CommandRecord("c1", CommandStatus.DELIVERED, execJson("c1"), T0, null, null, null));
        assertThat(store.claim("c2", execJson("c2"), T0).isNew()).isTrue();
        assertThat(store.claimStarting("c2", execJson("c2"), T0, T0).isNew()).isFalse();
    }

    /** A command rejected on arrival: claimed with its answer in one commit, so no restart finds it unanswered. */
    @Test
    void claimAnsweredRecordsANewCommandWithItsResultAndPublication() throws Exception {
        Result rejected = withStatus("c1", CommandStatus.REJECTED);

        Claim claim = store.claimAnsweredAsync("c1", execJson("c1"), T0, rejected, publication(rejected)).get();

        assertThat(claim).isInstanceOf(Claim.New.class);
        CommandRecord stored = store.find("c1").orElseThrow();
        assertThat(stored.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(claim.record()).isEqualTo(stored);
        assertThat(MessageCodec.standard().decode(stored.resultJson(), Result.class)).isEqualTo(rejected);
        assertThat(store.pending(10)).hasSize(1);
        assertThat(store.deliveredAfter(0, 10)).as("nothing left to prepare after a restart").isEmpty();
        assertThat(store.unfinished()).isEmpty();
    }

    @Test
    void claimAnsweredLeavesAKnownIdAsItIs() throws Exception {
        store.claim("c1", execJson("c1"), T0);
        Result rejected = withStatus("c1", CommandStatus.REJECTED);

        Claim again = store.claimAnsweredAsync("c1", execJson("c1"), T0, rejected, publication(rejected)).get();

        assertThat(again).isInstanceOf(Claim.Seen.class);
        assertThat(store.find("c1").orElseThrow().status()).isEqualTo(CommandStatus.DELIVERED);
        assertThat(store.pending(10)).isEmpty();
    }

    @Test
    void claimAnsweredRefusesAResultThatSaysTheCommandRan() throws Exception {
        Result ran = succeeded("c1");

        assertThatThrownBy(() -> store.claimAnsweredAsync("c1", execJson("c1"), T0, ran, publication(ran)).join())
                .hasCauseInstanceOf(StoreException.class);
        assertThat(store.find("c1")).as("nothing of the refused write is kept").isEmpty();
    }

    @Test
    void aRedeliveryOfACompletedCommandReturnsTheStoredResult() throws Exception {
        store.claim("c1", execJson("c1"), T0);
        store.markStarting("c1", T0);
        store.markRunning("c1", T0, 4242);
        Result result = succeeded("c1");
        store.complete("c1", result, publication(result));

        Claim again = store.claim("c1", execJson("c1"), T0.plusSeconds(60));

        assertThat(again).isInstanceOf(Claim.Seen.class);
        CommandRecord seen = again.record();
        assertThat(seen.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(seen.pid()).isEqualTo(4242L);
        assertThat(MessageCodec.standard().decode(seen.resultJson(), Result.class)).isEqualTo(result);
    }

    @Test
    void walksTheLifecycleWithApproval() throws StoreException {
        store.claim("c1", execJson("c1"), T0);
        store.markAwaitingApproval("c1");
        store.markAwaitingApproval("c1");
        assertThat(store.find("c1").orElseThrow().status()).isEqualTo(CommandStatus.AWAITING_APPROVAL);

        store.markStarting("c1", T0.plusSeconds(1));
        CommandRecord starting = store.find("c1").orElseThrow();
        assertThat(starting.status()).isEqualTo(CommandStatus.RUNNING);
        assertThat(starting.startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(starting.pid()).isNull();

        store.markRunning("c1", T0.plusSeconds(1), 77);
        store.markRunning("c1", T0.plusSeconds(1), 77);
        assertThat(store.find("c1").orElseThrow().pid()).isEqualTo(77L);
    }

    @Test
    void aCommandIsStartedAtMostOnce() throws StoreException {
        store.claim("c1", execJson("c1"), T0);
        store.markStarting("c1", T0);

        assertThatThrownBy(() -> store.markStarting("c1", T0))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.code()).isEqualTo(StoreException.Code.ILLEGAL_TRANSITION));
    }

    @Test
    void markRunningWithAnotherPidIsRefused() throws StoreException {
        store.claim("c1", execJson("c1"), T0);
        store.markRunning("c1", T0, 10);

        assertThatThrownBy(() -> store.markRunning("c1", T0, 11))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.code()).isEqualTo(StoreException.Code.ILLEGAL_TRANSITION));
    }

    @Test
    void completeStoresTheResultAndEnqueuesItTogether() throws Exception {
        store.claim("c1", execJson("c1"), T0);
        store.markRunning("c1", T0, 10);
        Result result = succeeded("c1");

        assertThat(store.complete("c1", result, publication(result))).isTrue();

        assertThat(store.find("c1").orElseThrow().status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(store.pending(10)).singleElement()
                .satisfies(p -> assertThat(p.entry()).isEqualTo(publication(result)));
    }

    @Test
    void aSecondCompleteIsIgnored() throws Exception {
        store.claim("c1", execJson("c1"), T0);
        store.markRunning("c1", T0, 10);
        Result first = succeeded("c1");
        store.complete("c1", first, publication(first));

        Result second = withStatus("c1", CommandStatus.FAILED);
        assertThat(store.complete("c1", second, publication(second))).isFalse();

        assertThat(store.outboxSize()).isEqualTo(1);
        CommandRecord stored = store.find("c1").orElseThrow();
        assertThat(stored.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(MessageCodec.standard().decode(stored.resultJson(), Result.class)).isEqualTo(first);
    }

    @Test
    void aResultMustNotContradictWhetherTheCommandStarted() throws StoreException {
        store.claim("never", execJson("never"), T0);
        store.claim("started", execJson("started"), T0);
        store.markRunning("started", T0, 31);

        Result ranButNeverStarted = succeeded("never");
        assertThatThrownBy(() -> store.complete("never", ranButNeverStarted, publication(ranButNeverStarted)))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.code()).isEqualTo(StoreException.Code.ILLEGAL_TRANSITION));
        Result rejectedAfterStart = withStatus("started", CommandStatus.REJECTED);
        assertThatThrownBy(() -> store.complete("started", rejectedAfterStart, publication(rejectedAfterStart)))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.code()).isEqualTo(StoreException.Code.ILLEGAL_TRANSITION));

        // Nothing half-written by the refused calls.
        assertThat(store.outboxSize()).isZero();
        assertThat(store.unfinished()).extracting(CommandRecord::commandId).containsExactly("never", "started");
    }

    @Test
    void aStartWhoseSpawnFailedIsRejectedNotLost() throws StoreException {
        store.claim("c1", execJson("c1"), T0);
        store.markStarting("c1", T0);

        Result spawnFailed = withStatus("c1", CommandStatus.REJECTED);
        assertThat(store.complete("c1", spawnFailed, publication(spawnFailed))).isTrue();

        assertThat(store.find("c1").orElseThrow().status()).isEqualTo(CommandStatus.REJECTED);
    }

    @Test
    void commandsThatNeverStartedMayBeRejectedExpiredOrCancelled() throws StoreException {
        for (CommandStatus status : new CommandStatus[] {CommandStatus.REJECTED, CommandStatus.EXPIRED, CommandStatus.CANCELLED}) {
            String id = "c-" + status;
            store.claim(id, execJson(id), T0);
            Result r = withStatus(id, status);
            assertThat(store.complete(id, r, publication(r))).isTrue();
            assertThat(store.find(id).orElseThrow().status()).isEqualTo(status);
        }
    }

    @Test
    void noStateChangeAfterTheResult() throws StoreException {
        store.claim("c1", execJson("c1"), T0);
        Result rejected = withStatus("c1", CommandStatus.REJECTED);
        store.complete("c1", rejected, publication(rejected));

        assertThatThrownBy(() -> store.markStarting("c1", T0))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.code()).isEqualTo(StoreException.Code.ILLEGAL_TRANSITION));
        assertThatThrownBy(() -> store.markAwaitingApproval("c1"))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.code()).isEqualTo(StoreException.Code.ILLEGAL_TRANSITION));
    }

    @Test
    void stepsOnAnUnknownIdFailWithUnknownCommand() {
        Result r = succeeded("nope");
        assertThatThrownBy(() -> store.complete("nope", r, publication(r)))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.code()).isEqualTo(StoreException.Code.UNKNOWN_COMMAND));
        assertThatThrownBy(() -> store.markRunning("nope", T0, 1))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.code()).isEqualTo(StoreException.Code.UNKNOWN_COMMAND));
    }

    @Test
    void completeRefusesAResultForAnotherId() throws StoreException {
        store.claim("c1", execJson("c1"), T0);
        Result other = succeeded("c2");

        assertThatThrownBy(() -> store.complete("c1", other, publication(other)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("c2");
    }

    @Test
    void unfinishedListsEveryNonTerminalCommandOldestFirst() throws StoreException {
        store.claim("running", execJson("running"), T0.plusSeconds(2));
        store.claim("delivered", execJson("delivered"), T0);
        store.claim("approval", execJson("approval"), T0.plusSeconds(1));
        store.claim("done", execJson("done"), T0.minusSeconds(5));
        store.markRunning("running", T0, 3);
        store.markAwaitingApproval("approval");
        Result r = withStatus("done", CommandStatus.EXPIRED);
        store.complete("done", r, publication(r));

        assertThat(store.unfinished()).extracting(CommandRecord::commandId, CommandRecord::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("delivered", CommandStatus.DELIVERED),
                org.assertj.core.groups.Tuple.tuple("approval", CommandStatus.AWAITING_APPROVAL),
                org.assertj.core.groups.Tuple.tuple("running", CommandStatus.RUNNING));
    }

    @Test
    void deliveredCommandsAreReadBackInClaimOrderAPageAtATime() throws Exception {
        long first = ((Claim.New) store.claim("a", execJson("a"), T0)).seq();
        long started = ((Claim.New) store.claim("b", execJson("b"), T0)).seq();
        long asking = ((Claim.New) store.claim("c", execJson("c"), T0)).seq();
        long finished = ((Claim.New) store.claim("d", execJson("d"), T0)).seq();
        long last = ((Claim.New) store.claim("e", execJson("e"), T0.minusSeconds(60))).seq();
        store.markStarting("b", T0);
        store.markAwaitingApproval("c");
        store.complete("d", withStatus("d", CommandStatus.EXPIRED), publication(withStatus("d", CommandStatus.EXPIRED)));

        assertThat(List.of(first, started, asking, finished, last)).isSorted().doesNotHaveDuplicates();
        assertThat(store.deliveredAfter(0, 1)).extracting(QueuedCommand::commandId).containsExactly("a");
        assertThat(store.deliveredAfter(first, 10)).extracting(QueuedCommand::commandId, QueuedCommand::seq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("e", last));
        assertThat(store.deliveredAfter(last, 10)).isEmpty();
        assertThat(store.deliveredAfter(0, 10).get(0).execJson()).isEqualTo(execJson("a"));
        assertThat(store.startedOrAsking()).extracting(CommandRecord::commandId).containsExactlyInAnyOrder("b", "c");
    }

    /** A reader going on from a seq must never miss a later claim: pruning keeps seqs growing. */
    @Test
    void aClaimAfterAPruneOfEverythingStillGetsALargerSeq() throws Exception {
        long before = 0;
        for (String id : List.of("x", "y")) {
            before = ((Claim.New) store.claim(id, execJson(id), T0)).seq();
            store.complete(id, withStatus(id, CommandStatus.EXPIRED), publication(withStatus(id, CommandStatus.EXPIRED)));
        }

        assertThat(store.prune(Instant.now().plusSeconds(3600))).isEqualTo(1);
        long after = ((Claim.New) store.claim("z", execJson("z"), T0)).seq();

        assertThat(after).isGreaterThan(before);
        assertThat(store.deliveredAfter(before, 10)).extracting(QueuedCommand::commandId).containsExactly("z");
    }

    @Test
    void instantsKeepNanosecondsAndSortAcrossFractionWidths() throws StoreException {
        // Instant.toString() would render these as ...00Z and ...00.500Z, which sort the wrong way as text.
        Instant whole = Instant.parse("2026-11-22T00:00:00Z");
        Instant half = Instant.parse("2026-11-21T23:59:59.5Z");
        store.claim("later", execJson("later"), whole);
        store.claim("earlier", execJson("earlier"), half);

        assertThat(store.unfinished()).extracting(CommandRecord::commandId).containsExactly("earlier", "later");
        assertThat(store.find("earlier").orElseThrow().receivedAt()).isEqualTo(half);
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailWithClosed() {
        store.close();
        store.close();

        assertThatThrownBy(() -> store.find("c1"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(StoreException.Code.CLOSED));
    }

    @Test
    void badArgumentsAreRefusedBeforeTouchingTheDatabase() {
        assertThatThrownBy(() -> store.claim(" ", execJson("x"), T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.claim("x".repeat(129), execJson("x"), T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.pending(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
