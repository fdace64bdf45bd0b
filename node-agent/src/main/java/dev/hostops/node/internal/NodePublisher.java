package dev.hostops.node.internal;

import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Transport;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.StateChange;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's messages to their topics. State changes are best effort (the result is
 * what counts and goes through the durable outbox); a failed publish is logged, not thrown.
 */
public final class NodePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(NodePublisher.class);

    private final Transport transport;
    private final String node;
    private final MessageCodec codec;

    public NodePublisher(Transport transport, String node, MessageCodec codec) {
        this.transport = transport;
        this.node = node;
        this.codec = codec;
    }

    public String node() {
        return node;
    }

    public MessageCodec codec() {
        return codec;
    }

    public CompletableFuture<Void> publish(Topics.Kind kind, Message message) {
        return transport.publish(OutboundMessage.reliable(Topics.of(node, kind), codec.encode(message)));
    }

    public void state(String id, CommandStatus status, String detail) {
        publish(Topics.Kind.STATE, new StateChange(id, node, status, Instant.now(), detail))
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        LOG.debug("state {} of {} not published: {}", status, id, e.toString());
                    }
                });
    }
}
