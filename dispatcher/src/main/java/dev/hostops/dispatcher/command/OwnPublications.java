package dev.hostops.dispatcher.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Ids of execs this dispatcher recorded in its ledger and then published. The broker observer
 * sees each of them come back on the cmd topic; it skips those, since the ledger already has the
 * very same command (a write saved per command). Bounded: an id the observer never sees ages out.
 * Where the broker does not send a client's own publications back (MQTT 5 No Local), there is
 * nothing to tell apart: {@link #untracked()} keeps no ids.
 */
public final class OwnPublications {
    static final int CAPACITY = 100_000;

    private final boolean tracking;

    private final Set<String> ids = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    }));

    /** Tracks every id added. */
    public OwnPublications() {
        this(true);
    }

    private OwnPublications(boolean tracking) {
        this.tracking = tracking;
    }

    /** For a transport that never receives its own publications: keeps nothing, {@link #consume} is always false. */
    public static OwnPublications untracked() {
        return new OwnPublications(false);
    }

    void add(String id) {
        if (tracking) {
            ids.add(id);
        }
    }

    /** True (once) when this dispatcher published the exec with this id itself. */
    public boolean consume(String id) {
        return ids.remove(id);
    }
}
