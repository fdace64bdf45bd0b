package dev.hostops.broker.internal.mqtt;

import io.reactivex.plugins.RxJavaPlugins;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * RxJava 2 comes with the HiveMQ client, which this package runs on its own threads (see
 * {@link MqttClients}); nothing in hostops uses RxJava's default schedulers. Two of them still
 * start a thread each the moment RxJava's {@code Schedulers} class loads, and idle forever: the
 * purge thread of its scheduled executors and the evictor of the I/O scheduler's worker pool. This
 * keeps them from starting, unless someone configured RxJava otherwise. Must run before the client's
 * classes are used.
 */
final class RxJavaThreads {
    private RxJavaThreads() {}

    static synchronized void avoidIdleThreads() {
        if (System.getProperty("rx2.purge-enabled") == null) {
            System.setProperty("rx2.purge-enabled", "false");
        }
        if (!RxJavaPlugins.isLockdown() && RxJavaPlugins.getInitIoSchedulerHandler() == null) {
            // A scheduler that starts threads only when used, instead of the cached pool and its evictor.
            AtomicInteger n = new AtomicInteger();
            RxJavaPlugins.setInitIoSchedulerHandler(defaultIo -> RxJavaPlugins.createNewThreadScheduler(r -> {
                Thread t = new Thread(r, "RxIoScheduler-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            }));
        }
    }
}
