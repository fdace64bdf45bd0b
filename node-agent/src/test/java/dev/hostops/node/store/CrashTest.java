package dev.hostops.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.ErrorInfo;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Result;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A child JVM claims, starts and completes commands in a loop on four threads and is killed with
 * SIGKILL in the middle. Reopened, the store must hold every step the child reported as committed,
 * nothing half-written, and recover as the agent would on restart.
 */
class CrashTest {
    private static final int THREADS = 4;
    // Enough progress to kill it mid-loop; small, because fsync on a busy shared disk can stall for seconds.
    private static final int COMPLETIONS_BEFORE_KILL = 40;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(NodeStore.Durability.class)
    void aKilledProcessLosesNothingCommittedAndLeavesNothingHalfWritten(NodeStore.Durability durability) throws Exception {
        Path data = dir.resolve("data");
        List<String> reported;
        long childPid;
        try (ChildJvm child = ChildJvm.start(dir.resolve("child.err"), "work", data.toString(), durability.name(),
                String.valueOf(THREADS))) {
            childPid = child.pid();
            try {
                await().atMost(Duration.ofMinutes(3)).until(() -> child.count("COMPLETED ") >= COMPLETIONS_BEFORE_KILL
                        || child.count("ERROR") > 0);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the child made too little progress: " + child.lines().size() + " lines, last "
                        + child.lines().subList(Math.max(0, child.lines().size() - 5), child.lines().size()) + ", alive "
                        + child.isAlive() + ", stderr: " + java.nio.file.Files.readString(dir.resolve("child.err")), e);
            }
            child.killAndDrain();
            reported = child.lines();
        }
        assertThat(reported).noneMatch(l -> l.startsWith("ERROR"));

        try (NodeStore store = NodeStore.open(data, durability)) {
            Map<String, CommandRecord> all = everyRecord(store, reported);
            assertEveryReportedStepIsThere(reported, all, childPid);
            assertIdsHaveNoGaps(all.keySet());
            assertResultsAndPublicationsAreTogether(store, all);
            recoverAsTheAgentWould(store, all);
        }
        assertThat(integrityCheck(data)).isEqualTo("ok");
    }

    /** Every id the child could have touched: those it reported, plus the next one per thread. */
    private static Map<String, CommandRecord> everyRecord(NodeStore store, List<String> reported) throws StoreException {
        Map<Integer, Integer> highest = new HashMap<>();
        for (String line : reported) {
            if (line.startsWith("CLAIMED ")) {
                int[] ti = parse(line.substring("CLAIMED ".length()));
                highest.merge(ti[0], ti[1], Math::max);
            }
        }
        Map<String, CommandRecord> all = new HashMap<>();
        for (int t = 0; t < THREADS; t++) {
            int top = highest.getOrDefault(t, -1);
            for (int i = 0; i <= top + 1; i++) {
                String id = "t" + t + "-" + i;
                store.find(id).ifPresent(r -> all.put(id, r));
            }
            // Nothing beyond the one claim that may have committed just before the kill.
            assertThat(store.find("t" + t + "-" + (top + 2))).isEmpty();
        }
        return all;
    }

    private static void assertEveryReportedStepIsThere(List<String> reported, Map<String, CommandRecord> all, long childPid) {
        for (String line : reported) {
            String[] parts = line.split(" ", 2);
            if (parts.length < 2) {
                continue;
            }
            CommandRecord r = all.get(parts[1]);
            assertThat(r).as("record of %s (reported %s)", parts[1], parts[0]).isNotNull();
            switch (parts[0]) {
                case "CLAIMED" -> assertThat(r.status()).isNotNull();
                case "STARTING" -> assertThat(r.status().hasRun()).as("%s after STARTING", r).isTrue();
                case "RUNNING" -> assertThat(r.pid()).as("%s after RUNNING", r).isEqualTo(childPid);
                case "COMPLETED" -> assertThat(r.status()).as("%s after COMPLETED", r).isEqualTo(CommandStatus.SUCCEEDED);
                default -> throw new AssertionError("unexpected line from the child: " + line);
            }
        }
    }

    private static void assertIdsHaveNoGaps(Set<String> ids) {
        Map<Integer, List<Integer>> byThread = ids.stream().map(CrashTest::parse)
                .collect(Collectors.groupingBy(ti -> ti[0], Collectors.mapping(ti -> ti[1], Collectors.toList())));
        byThread.forEach((t, is) -> assertThat(is).as("ids of thread %d", t)
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, is.size()).boxed().toList()));
    }

    /** complete() writes the result and its publication in one transaction: both or neither. */
    private static void assertResultsAndPublicationsAreTogether(NodeStore store, Map<String, CommandRecord> all)
            throws Exception {
        List<PendingPublication> outbox = store.pending(Integer.MAX_VALUE);
        Set<String> published = new HashSet<>();
        for (PendingPublication p : outbox) {
            Result r = MessageCodec.standard().decode(p.entry().payload(), Result.class);
            assertThat(published.add(r.id())).as("one publication per result: %s", r.id()).isTrue();
            assertThat(p.entry().payload()).isEqualTo(all.get(r.id()).resultJson());
        }
        Set<String> terminal = all.values().stream().filter(r -> r.status().isTerminal())
                .map(CommandRecord::commandId).collect(Collectors.toSet());
        assertThat(published).isEqualTo(terminal);
        for (CommandRecord r : all.values()) {
            if (r.status() == CommandStatus.RUNNING) {
                assertThat(r.startedAt()).as("%s", r).isNotNull();
            }
        }
    }

    /** Restart: RUNNING becomes LOST and is never run again; DELIVERED may still run; repeats are SEEN. */
    private static void recoverAsTheAgentWould(NodeStore store, Map<String, CommandRecord> all) throws Exception {
        for (CommandRecord r : store.unfinished()) {
            if (r.status() == CommandStatus.RUNNING) {
                Result lost = new Result(r.commandId(), Fixtures.NODE, CommandStatus.LOST, null, r.startedAt(), Instant.now(),
                        null, null, null, null, null, 0, 0, 0, false,
                        ErrorInfo.of(ErrorCode.LOST, "the agent stopped while the command ran"));
                assertThat(store.complete(r.commandId(), lost, Fixtures.publication(lost))).isTrue();
            } else {
                assertThat(r.status()).isEqualTo(CommandStatus.DELIVERED);
                store.markStarting(r.commandId(), Instant.now());
            }
        }
        for (String id : all.keySet()) {
            assertThat(store.claim(id, Fixtures.execJson(id), Instant.now()).isNew()).as("redelivery of %s", id).isFalse();
        }
    }

    private static int[] parse(String id) {
        String[] p = id.substring(1).split("-");
        return Arrays.stream(p).mapToInt(Integer::parseInt).toArray();
    }

    private static String integrityCheck(Path data) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(NodeStore.FILE_NAME));
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
