package dev.hostops.node.exec.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner's threads: a cached pool for the blocking stream readers (two per running command,
 * reused between commands, idle ones end after a minute) and one scheduler thread for timeouts,
 * flush ticks and kill re-checks (its tasks are short; sink calls go to the pool).
 */
final class ExecThreads {
    final ExecutorService io;
    final ScheduledThreadPoolExecutor scheduler;

    ExecThreads() {
        this.io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemonThreads("hostops-exec-io-"));
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("hostops-exec-timer-"));
        // Cancelled timeouts and ticks must not pile up in the queue until their deadline.
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    void shutdownNow() {
        scheduler.shutdownNow();
        io.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
