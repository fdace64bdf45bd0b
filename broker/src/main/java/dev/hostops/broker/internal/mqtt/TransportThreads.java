package dev.hostops.broker.internal.mqtt;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the threads of one transport and remembers them. Three at most: the client's network I/O
 * (Netty's event loop), the transport's own (timers, reconnect decisions, publish completions) and
 * the one that runs message handlers. They are daemons, so a transport someone forgot to close
 * does not keep the JVM alive, and they are named after the client id. {@link #isCurrent()} lets
 * {@code close()} see that it was called from one of them and must not wait for itself.
 */
final class TransportThreads {
    private final String name;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    TransportThreads(String name) {
        this.name = name;
    }

    /** A new, not yet started thread called {@code hostops-mqtt-<role>-<client id>}. */
    Thread newThread(String role, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, "hostops-mqtt-" + role + "-" + name);
        t.setDaemon(true);
        threads.add(t);
        return t;
    }

    boolean isCurrent() {
        return threads.contains(Thread.currentThread());
    }
}
