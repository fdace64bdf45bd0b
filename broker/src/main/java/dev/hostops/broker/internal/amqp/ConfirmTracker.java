package dev.hostops.broker.internal.amqp;

import dev.hostops.broker.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Publisher confirms of one channel: sequence number to pending publish. The broker confirms by
 * delivery tag, either one ({@code multiple=false}) or all up to and including it
 * ({@code multiple=true}). Sequence numbers restart on every channel, which is why there is one
 * tracker per session and never one across a reconnect.
 */
final class ConfirmTracker {
    private final ConcurrentNavigableMap<Long, PendingPublish> outstanding = new ConcurrentSkipListMap<>();

    void track(long seqNo, PendingPublish p) {
        outstanding.put(seqNo, p);
    }

    void untrack(long seqNo) {
        outstanding.remove(seqNo);
    }

    void onAck(long deliveryTag, boolean multiple) {
        for (PendingPublish p : take(deliveryTag, multiple)) {
            p.future().complete(null);
        }
    }

    void onNack(long deliveryTag, boolean multiple) {
        for (PendingPublish p : take(deliveryTag, multiple)) {
            p.future().completeExceptionally(new TransportException("the broker refused the message to '"
                    + p.message().topic() + "' (publisher nack: an internal broker error or a full queue)"));
        }
    }

    /** After the channel died: everything still unconfirmed, oldest first, and the tracker emptied. */
    List<PendingPublish> drainUnconfirmed() {
        List<PendingPublish> all = new ArrayList<>();
        Map.Entry<Long, PendingPublish> e;
        while ((e = outstanding.pollFirstEntry()) != null) {
            all.add(e.getValue());
        }
        return all;
    }

    int size() {
        return outstanding.size();
    }

    private List<PendingPublish> take(long deliveryTag, boolean multiple) {
        List<PendingPublish> taken = new ArrayList<>();
        if (multiple) {
            ConcurrentNavigableMap<Long, PendingPublish> head = outstanding.headMap(deliveryTag, true);
            for (Map.Entry<Long, PendingPublish> e : head.entrySet()) {
                if (head.remove(e.getKey(), e.getValue())) {
                    taken.add(e.getValue());
                }
            }
        } else {
            PendingPublish p = outstanding.remove(deliveryTag);
            if (p != null) {
                taken.add(p);
            }
        }
        return taken;
    }
}
