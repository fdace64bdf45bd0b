package dev.hostops.dispatcher.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Ids of execs this dispatcher recorded in its ledger and then published. The broker observer
 * sees each of them come back on the cmd topic; it skips those, since the ledger already has the
 * very same command (a write saved per command). Bounded: an id the observer never sees ages out.
 */
public final class OwnPublications {
    static final int CAPACITY = 100_000;

    private final Set<String> ids = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    }));

    void add(String id) {
        ids.add(id);
    }

    /** True (once) when this dispatcher published the exec with this id itself. */
    public boolean consume(String id) {
        return ids.remove(id);
    }
}
