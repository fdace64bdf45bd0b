package dev.hostops.node.store;

import dev.hostops.contracts.message.Result;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate JVM for the crash and cross-process tests. It prints a line only after the step it
 * names is committed, so every line the parent reads is a promise the store must keep.
 *
 * <pre>
 * work  DIR DURABILITY THREADS   loop forever: claim, markStarting, markRunning, complete every other id
 * claim DIR FROM TO              print READY, wait for a line on stdin (so that racing children start
 *                                together), claim ids FROM..TO-1, print NEW id for each one won, then DONE
 * </pre>
 */
public final class StoreChild {
    private StoreChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "work" -> work(dir, NodeStore.Durability.valueOf(args[2]), Integer.parseInt(args[3]));
            case "claim" -> claim(dir, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void work(Path dir, NodeStore.Durability durability, int threads) throws Exception {
        NodeStore store = NodeStore.open(dir, durability);
        long pid = ProcessHandle.current().pid();
        say("READY");
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    for (int i = 0; ; i++) {
                        String id = "t" + thread + "-" + i;
                        store.claim(id, Fixtures.execJson(id), Instant.now());
                        say("CLAIMED " + id);
                        store.markStarting(id, Instant.now());
                        say("STARTING " + id);
                        store.markRunning(id, Instant.now(), pid);
                        say("RUNNING " + id);
                        if (i % 2 == 0) {
                            Result result = Fixtures.succeeded(id);
                            store.complete(id, result, Fixtures.publication(result));
                            say("COMPLETED " + id);
                        }
                    }
                } catch (StoreException | RuntimeException | Error e) {
                    // Reported on stdout too, so that the parent stops waiting and shows it.
                    say("ERROR " + e);
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread w : workers) {
            w.join();
        }
    }

    private static void claim(Path dir, int from, int to) throws Exception {
        try (NodeStore store = NodeStore.open(dir, NodeStore.Durability.NORMAL)) {
            say("READY");
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
            for (int i = from; i < to; i++) {
                String id = "cmd-" + i;
                if (store.claim(id, Fixtures.execJson(id), Instant.now()).isNew()) {
                    say("NEW " + id);
                }
            }
            say("DONE");
        }
    }

    private static void say(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
