package dev.hostops.node.store;

import static dev.hostops.node.store.Fixtures.T0;
import static dev.hostops.node.store.Fixtures.execJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads claim the same ids at once, through one store and through several stores on the
 * same file (separate SQLite connections lock each other as separate processes do): exactly one
 * claim per id is NEW.
 */
class ConcurrentClaimTest {
    private static final int THREADS = 8;
    private static final int IDS = 200;

    @TempDir
    Path dir;

    @Test
    void oneStoreManyThreadsExactlyOneNewPerId() throws Exception {
        try (NodeStore store = NodeStore.open(dir, NodeStore.Durability.NORMAL)) {
            Map<String, AtomicInteger> news = race(List.of(store));
            assertExactlyOneNewPerId(news);
        }
    }

    @Test
    void severalConnectionsOnOneFileExactlyOneNewPerId() throws Exception {
        List<NodeStore> stores = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                stores.add(NodeStore.open(dir, NodeStore.Durability.NORMAL));
            }
            Map<String, AtomicInteger> news = race(stores);
            assertExactlyOneNewPerId(news);
        } finally {
            stores.forEach(NodeStore::close);
        }
    }

    private static Map<String, AtomicInteger> race(List<NodeStore> stores) throws Exception {
        Map<String, AtomicInteger> news = new ConcurrentHashMap<>();
        for (int i = 0; i < IDS; i++) {
            news.put(id(i), new AtomicInteger());
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                NodeStore store = stores.get(t % stores.size());
                int offset = t * 17;
                futures.add(pool.submit(() -> {
                    start.await();
                    // Each thread walks the ids from a different place so that they collide everywhere.
                    for (int k = 0; k < IDS; k++) {
                        String id = id((k + offset) % IDS);
                        if (store.claim(id, execJson(id), T0).isNew()) {
                            news.get(id).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return news;
    }

    private static void assertExactlyOneNewPerId(Map<String, AtomicInteger> news) {
        assertThat(news).hasSize(IDS);
        assertThat(news.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }

    private static String id(int i) {
        return "cmd-" + i;
    }
}
