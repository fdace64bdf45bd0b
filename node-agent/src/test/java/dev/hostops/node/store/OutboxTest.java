package dev.hostops.node.store;

import static dev.hostops.node.store.Fixtures.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable outbox: order, acknowledgement, and sequence numbers that are never reused. */
class OutboxTest {
    @TempDir
    Path dir;

    @Test
    void pendingIsOldestFirstAndStaysUntilAcknowledged() throws StoreException {
        try (NodeStore store = NodeStore.open(dir, NodeStore.Durability.NORMAL)) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                seqs.add(store.enqueue(message("m" + i)));
            }
            assertThat(seqs).isSorted().doesNotHaveDuplicates();

            assertThat(store.pending(3)).extracting(PendingPublication::seq).containsExactlyElementsOf(seqs.subList(0, 3));
            assertThat(store.pending(3)).extracting(PendingPublication::seq).containsExactlyElementsOf(seqs.subList(0, 3));

            store.acknowledge(seqs.get(1));
            store.acknowledge(seqs.get(1));
            store.acknowledge(999_999);

            assertThat(store.pending(10)).extracting(p -> new String(p.entry().payload()))
                    .containsExactly("m0", "m2", "m3", "m4");
            assertThat(store.outboxSize()).isEqualTo(4);
        }
    }

    @Test
    void aConfirmedBatchIsAcknowledgedAtOnce() throws StoreException {
        try (NodeStore store = NodeStore.open(dir, NodeStore.Durability.FULL)) {
            long a = store.enqueue(message("a"));
            long b = store.enqueue(message("b"));
            long c = store.enqueue(message("c"));

            assertThat(store.acknowledgeAll(List.of(a, c, 424_242L))).isEqualTo(2);
            assertThat(store.acknowledgeAll(List.of())).isZero();

            assertThat(store.pending(10)).extracting(PendingPublication::seq).containsExactly(b);
        }
    }

    @Test
    void theOutboxSurvivesReopenInOrder() throws StoreException {
        try (NodeStore store = NodeStore.open(dir, NodeStore.Durability.FULL)) {
            store.enqueue(message("a"));
            store.enqueue(new OutboxEntry("hostops/v1/node/node-1/presence", "online".getBytes(), true));
        }
        try (NodeStore store = NodeStore.open(dir, NodeStore.Durability.FULL)) {
            assertThat(store.pending(10)).extracting(PendingPublication::entry)
                    .containsExactly(message("a"), new OutboxEntry("hostops/v1/node/node-1/presence", "online".getBytes(), true));
        }
    }

    @Test
    void sequenceNumbersAreNeverReusedEvenAfterTheNewestIsAcknowledged() throws StoreException {
        long first;
        try (NodeStore store = NodeStore.open(dir, NodeStore.Durability.NORMAL)) {
            first = store.enqueue(message("a"));
            store.acknowledge(first);
        }
        try (NodeStore store = NodeStore.open(dir, NodeStore.Durability.NORMAL)) {
            long second = store.enqueue(message("b"));
            assertThat(second).isGreaterThan(first);
            // A late acknowledgement of the old number must not remove the new entry.
            store.acknowledge(first);
            assertThat(store.outboxSize()).isEqualTo(1);
        }
    }

    @Test
    void entriesAreImmutableCopies() {
        byte[] bytes = "x".getBytes();
        OutboxEntry entry = new OutboxEntry("t", bytes, false);
        bytes[0] = 'y';
        entry.payload()[0] = 'z';

        assertThat(entry.payload()).containsExactly('x');
    }
}
