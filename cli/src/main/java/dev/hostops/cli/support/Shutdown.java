package dev.hostops.cli.support;

import java.util.concurrent.CountDownLatch;

/** Keeps a server command in the foreground until Ctrl-C (or SIGTERM), then runs its cleanup once. */
public final class Shutdown {
    private Shutdown() {}

    public static void awaitSignal(Runnable cleanup) {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cleanup.run();
            } finally {
                done.countDown();
            }
        }, "hostops-shutdown"));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
