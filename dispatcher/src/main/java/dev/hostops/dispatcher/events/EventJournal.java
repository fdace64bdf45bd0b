package dev.hostops.dispatcher.events;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The newest events of {@code /v1/events}, numbered, so that a client that lost its stream can
 * come back where it left (the SSE {@code Last-Event-ID}) instead of reading everything again.
 *
 * <p>Each event gets the id {@code <run>-<seq>}: {@code run} tells this dispatcher process from an
 * earlier one (the numbering starts again on each start), {@code seq} counts from 1. The journal
 * keeps the last {@code capacity} events in memory; a client whose last id is older, from another
 * run or not an id at all is told it missed events ({@link Follower#missed}) and then gets live
 * events, so it knows to read the state again from the GET routes rather than trust a stream
 * with a hole in it.
 *
 * <p>Events are numbered in the order they reach the journal, under its lock; a follower gets
 * what it missed and then what follows, each exactly once and in that order, because both are
 * handed to it under the same lock (its callbacks must only queue, never block).
 */
public final class EventJournal implements AutoCloseable {
    /** About a minute of a busy dispatcher's state changes, hours of a quiet one; a few MiB at most. */
    public static final int DEFAULT_CAPACITY = 1_000;

    /** An event with its id. */
    public record Numbered(String id, Event event) {}

    /** What a follower is told: first whether it missed events, then each event in order. */
    public interface Follower {
        /**
         * The events since the client's last id are not all known: it should read the state again.
         *
         * @param now the id of the newest event (null before the first): what follows it comes next
         */
        void missed(String reason, String now);

        void event(Numbered e);
    }

    private record Registered(Predicate<Event> filter, Follower follower) {}

    private final String run;
    private final Event[] ring;
    /** The seq the next event gets; the journal holds seq {@code max(1, next - capacity)} to {@code next - 1}. */
    private long next = 1;
    private final List<Registered> followers = new CopyOnWriteArrayList<>();
    private final AutoCloseable subscription;

    /** Journals the events of {@code bus} that match {@code kept} (the kinds {@code /v1/events} shows). */
    public EventJournal(EventBus bus, Predicate<Event> kept, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.ring = new Event[capacity];
        this.run = Long.toString(System.currentTimeMillis(), 36);
        this.subscription = bus.subscribe(kept, this::append);
    }

    private synchronized void append(Event e) {
        long seq = next++;
        ring[(int) (seq % ring.length)] = e;
        if (followers.isEmpty()) {
            return;
        }
        Numbered n = new Numbered(id(seq), e);
        for (Registered r : followers) {
            if (r.filter.test(e)) {
                r.follower.event(n);
            }
        }
    }

    /**
     * Starts following: the kept events after {@code lastEventId} that match {@code filter} (none
     * when it is null: live events only), then every new one. Close the handle to stop.
     */
    public synchronized AutoCloseable follow(String lastEventId, Predicate<Event> filter, Follower follower) {
        if (lastEventId != null) {
            long oldest = Math.max(1, next - ring.length);
            long after = seqIn(lastEventId);
            if (after < 0) {
                follower.missed("'" + abbreviated(lastEventId) + "' is not an event id of this dispatcher run (it restarted, or the id is not one it sent)", lastId());
            } else if (after >= next) {
                follower.missed("event " + lastEventId + " has not happened yet in this dispatcher run", lastId());
            } else if (after + 1 < oldest) {
                follower.missed("the events after " + lastEventId + " are no longer kept (the dispatcher keeps the last " + ring.length + ")", lastId());
            } else {
                for (Numbered n : since(after)) {
                    if (filter.test(n.event())) {
                        follower.event(n);
                    }
                }
            }
        }
        Registered r = new Registered(filter, follower);
        followers.add(r);
        return () -> followers.remove(r);
    }

    /** The id the newest event got, or null before the first: for a client that wants to start from now. */
    public synchronized String lastId() {
        return next == 1 ? null : id(next - 1);
    }

    private List<Numbered> since(long after) {
        List<Numbered> out = new ArrayList<>((int) (next - after - 1));
        for (long seq = after + 1; seq < next; seq++) {
            out.add(new Numbered(id(seq), ring[(int) (seq % ring.length)]));
        }
        return out;
    }

    /** The seq of an id from this run, or -1. */
    private long seqIn(String id) {
        int dash = id.lastIndexOf('-');
        if (dash <= 0 || !id.substring(0, dash).equals(run)) {
            return -1;
        }
        try {
            long seq = Long.parseLong(id.substring(dash + 1));
            return seq >= 0 ? seq : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private String id(long seq) {
        return run + "-" + seq;
    }

    private static String abbreviated(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    @Override
    public void close() throws Exception {
        subscription.close();
    }
}
