package dev.hostops.node.internal;

import dev.hostops.contracts.Topics;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.node.exec.LogSink;
import dev.hostops.node.metrics.NodeMetrics;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a command's log chunks as they come. At most {@code inFlight} chunks wait for the
 * broker's acknowledgement; beyond that the reader blocks, the process's pipe fills and the
 * process waits: output is never buffered without bound and never dropped.
 */
final class LogPublisher implements LogSink {
    private static final Logger LOG = LoggerFactory.getLogger(LogPublisher.class);

    private final NodePublisher publisher;
    private final NodeMetrics metrics;
    private final Semaphore window;

    LogPublisher(NodePublisher publisher, NodeMetrics metrics, int inFlight) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.window = new Semaphore(inFlight);
    }

    @Override
    public void onChunk(LogChunk chunk) {
        window.acquireUninterruptibly();
        metrics.logBytes(chunk.stream().wire(), chunk.data().length());
        publisher.publish(Topics.Kind.LOG, chunk).whenComplete((ok, e) -> {
            window.release();
            if (e != null) {
                LOG.warn("log chunk {} of {} not published: {}", chunk.seq(), chunk.id(), e.toString());
            }
        });
    }
}
