package dev.hostops.node.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs claim the same ids on one file at the same time: each id is NEW in exactly one of them. */
class CrossProcessClaimTest {
    private static final int IDS = 400;

    @TempDir
    Path dir;

    @Test
    void exactlyOneProcessWinsEachId() throws Exception {
        Path data = dir.resolve("data");
        // Create the schema first so that both children race on claims, not on the migration.
        NodeStore.open(data, NodeStore.Durability.NORMAL).close();
        List<Set<String>> won = new ArrayList<>();
        try (ChildJvm a = ChildJvm.start(dir.resolve("a.err"), "claim", data.toString(), "0", String.valueOf(IDS));
                ChildJvm b = ChildJvm.start(dir.resolve("b.err"), "claim", data.toString(), "0", String.valueOf(IDS))) {
            for (ChildJvm child : List.of(a, b)) {
                await().atMost(Duration.ofMinutes(2)).until(() -> child.count("READY") == 1);
            }
            a.send("GO");
            b.send("GO");
            for (ChildJvm child : List.of(a, b)) {
                assertThat(child.awaitExit()).as("exit code; stderr in " + dir).isZero();
                assertThat(child.lines()).contains("DONE");
                Set<String> news = new HashSet<>();
                child.lines().stream().filter(l -> l.startsWith("NEW ")).forEach(l -> news.add(l.substring(4)));
                won.add(news);
            }
        }
        Set<String> both = new HashSet<>(won.get(0));
        both.retainAll(won.get(1));
        assertThat(both).as("ids claimed as NEW by both processes").isEmpty();
        Set<String> union = new HashSet<>(won.get(0));
        union.addAll(won.get(1));
        assertThat(union).containsExactlyInAnyOrderElementsOf(IntStream.range(0, IDS).mapToObj(i -> "cmd-" + i).toList());
    }
}
