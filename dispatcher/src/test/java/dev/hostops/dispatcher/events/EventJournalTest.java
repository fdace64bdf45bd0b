package dev.hostops.dispatcher.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventJournalTest {
    private final EventBus bus = new EventBus();
    private final EventJournal journal = new EventJournal(bus, e -> e.kind() != EventKind.LOG, 3);

    /** Records what a follower is told, as "missed" or the event ids, in order. */
    private static final class Seen implements EventJournal.Follower {
        final List<String> told = new ArrayList<>();
        final List<String> ids = new ArrayList<>();
        String resumeFrom;

        @Override
        public synchronized void missed(String reason, String now) {
            told.add("missed: " + reason);
            resumeFrom = now;
        }

        @Override
        public synchronized void event(EventJournal.Numbered e) {
            told.add(e.event().id());
            ids.add(e.id());
        }
    }

    private void publish(String... commandIds) {
        for (String id : commandIds) {
            bus.publish(Event.of(EventKind.STATE, id, "node-a", "RUNNING", null));
        }
    }

    @Test
    void aFollowerThatComesBackGetsWhatItMissedThenWhatFollows() throws Exception {
        Seen first = new Seen();
        AutoCloseable live = journal.follow(null, e -> true, first);
        publish("c1", "c2");
        bus.publish(Event.of(EventKind.LOG, "c2", "node-a", null, null)); // not journalled
        live.close();
        publish("c3");

        Seen back = new Seen();
        journal.follow(first.ids.get(0), e -> true, back);
        publish("c4");
        assertThat(first.told).containsExactly("c1", "c2");
        assertThat(back.told).containsExactly("c2", "c3", "c4");
        assertThat(back.ids.get(0)).isEqualTo(first.ids.get(1));
    }

    @Test
    void aFilterAppliesToWhatIsReplayedToo() {
        publish("c1");
        String start = journal.lastId();
        bus.publish(Event.of(EventKind.STATE, "c2", "node-b", "RUNNING", null));
        publish("c3");
        Seen onlyA = new Seen();
        journal.follow(start, e -> "node-a".equals(e.node()), onlyA);
        assertThat(onlyA.told).containsExactly("c3");
    }

    @Test
    void aFollowerIsToldWhenItsLastIdIsNoLongerKeptOrNotOneOfThisRun() {
        publish("c1");
        String oldest = journal.lastId();
        publish("c2", "c3", "c4", "c5"); // capacity 3: c2 is gone too
        Seen late = new Seen();
        journal.follow(oldest, e -> true, late);
        assertThat(late.told).singleElement().asString().startsWith("missed: ").contains("no longer kept");
        assertThat(late.resumeFrom).as("the reset carries the newest id, to go on from").isEqualTo(journal.lastId());

        for (String foreign : List.of("0-1", "garbage", journal.lastId().replaceAll("-\\d+$", "-99"))) {
            Seen other = new Seen();
            journal.follow(foreign, e -> true, other);
            publish("next");
            assertThat(other.told).as(foreign).hasSize(2).first().asString().startsWith("missed: ");
            assertThat(other.told.get(1)).isEqualTo("next");
        }
    }

    @Test
    void withNothingMissedAFollowerGetsNoReset() {
        publish("c1");
        Seen upToDate = new Seen();
        journal.follow(journal.lastId(), e -> true, upToDate);
        publish("c2");
        assertThat(upToDate.told).containsExactly("c2");
    }

    @Test
    void eventsPublishedFromManyThreadsReachAFollowerOnceEachInIdOrder() throws Exception {
        EventJournal big = new EventJournal(bus, e -> e.kind() != EventKind.LOG, 100_000);
        Seen seen = new Seen();
        big.follow(null, e -> true, seen);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.execute(() -> {
                for (int i = 0; i < 5_000; i++) {
                    publish(thread + "-" + i);
                }
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        List<Long> seqs = seen.ids.stream().map(id -> Long.parseLong(id.substring(id.lastIndexOf('-') + 1))).toList();
        assertThat(seqs).hasSize(20_000).isSorted().doesNotHaveDuplicates();
    }
}
