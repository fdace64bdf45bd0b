package dev.hostops.dispatcher.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBusTest {
    private final EventBus bus = new EventBus();

    private static Event event(EventKind kind, String id) {
        return Event.of(kind, id, "node-a", null, null);
    }

    @Test
    void aSubscriptionToOneIdSeesOnlyThatIdsEventsItsFilterTakes() throws Exception {
        List<String> seen = new ArrayList<>();
        AutoCloseable sub = bus.subscribe("c1", e -> e.kind() == EventKind.RESULT, e -> seen.add(e.kind() + " " + e.id()));

        bus.publish(event(EventKind.STATE, "c1"));
        bus.publish(event(EventKind.RESULT, "c2"));
        bus.publish(event(EventKind.RESULT, "c1"));
        sub.close();
        bus.publish(event(EventKind.RESULT, "c1"));

        assertThat(seen).containsExactly("RESULT c1");
        assertThat(bus.subscriberCount()).as("closing the last one for an id forgets the id").isZero();
    }

    @Test
    void subscriptionsToEverythingAndToOneIdBothSeeAnEventAndOneFailingListenerStopsNoOther() throws Exception {
        List<String> seen = new ArrayList<>();
        bus.subscribe(e -> true, e -> seen.add("all " + e.id()));
        bus.subscribe("c1", e -> true, e -> {
            throw new IllegalStateException("a broken listener");
        });
        AutoCloseable second = bus.subscribe("c1", e -> true, e -> seen.add("c1 " + e.id()));
        bus.subscribe("c2", e -> true, e -> seen.add("c2 " + e.id()));
        assertThat(bus.subscriberCount()).isEqualTo(4);

        bus.publish(event(EventKind.RESULT, "c1"));
        second.close();
        bus.publish(event(EventKind.RESULT, "c1"));

        assertThat(seen).containsExactly("all c1", "c1 c1", "all c1");
        assertThat(bus.subscriberCount()).isEqualTo(3);
    }
}
