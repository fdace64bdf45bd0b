package dev.hostops.broker.internal.mqtt;

import io.reactivex.Flowable;
import io.reactivex.plugins.RxJavaPlugins;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RxJava 2 comes with the HiveMQ client, which this package runs on its own threads (see
 * {@link MqttClients}); nothing in hostops uses RxJava itself. Two of its defaults are set here,
 * unless someone configured RxJava otherwise. Must run before the client's classes are used.
 */
final class RxJavaSetup {
    private static final Logger log = LoggerFactory.getLogger(RxJavaSetup.class);
    private static final String BUFFER_SIZE = "rx2.buffer-size";
    /**
     * Messages the client's global publish flow hands over ahead of its consumer; RxJava's default
     * is 128 (the client puts an {@code observeOn} with that buffer into every flow).
     */
    static final int HANDOVER_BUFFER = 8192;

    private RxJavaSetup() {}

    static synchronized void apply() {
        avoidIdleThreads();
        roomToHandOver();
    }

    /**
     * Two of RxJava's default schedulers start a thread each the moment its {@code Schedulers} class
     * loads, and idle forever: the purge thread of its scheduled executors and the evictor of the
     * I/O scheduler's worker pool. This keeps them from starting.
     */
    private static void avoidIdleThreads() {
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

    /**
     * With manual acknowledgement the client keeps every received message in one queue until it is
     * acknowledged, and walks that queue on every message and every ack until it reaches one not yet
     * handed to the consumer. With a 128-message hand-over buffer there nearly always is such a
     * message, behind all those awaiting a deferred ack (the dispatcher's ledger commits): measured
     * in the dispatcher bench, 246,000 walks took 91 million steps (up to 6,036 each), about a fifth
     * of the dispatcher's CPU. With 8,192 the same run took 363,000 steps. RxJava reads the size
     * once, when {@link Flowable} loads, so this must run before anything uses it.
     */
    private static void roomToHandOver() {
        if (System.getProperty(BUFFER_SIZE) == null) {
            System.setProperty(BUFFER_SIZE, Integer.toString(HANDOVER_BUFFER));
        }
        if (Flowable.bufferSize() < HANDOVER_BUFFER) {
            log.warn("RxJava's buffer size is {} (set before the MQTT transport loaded, or by -D{}); MQTT consumers with "
                    + "many unacknowledged messages will spend CPU walking them", Flowable.bufferSize(), BUFFER_SIZE);
        }
    }
}
