package dev.hostops.node.it;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A test stand-in for Tier 2: publishes raw messages to a node's topics and records everything
 * the node publishes, by command id.
 */
final class Orchestrator implements AutoCloseable {
    private final Transport transport;
    private final MessageCodec codec = MessageCodec.standard();
    final Map<String, List<Result>> results = new ConcurrentHashMap<>();
    final Map<String, List<LogChunk>> logs = new ConcurrentHashMap<>();
    final Map<String, List<StateChange>> states = new ConcurrentHashMap<>();
    final Map<String, ApprovalRequest> approvals = new ConcurrentHashMap<>();
    final List<Presence> presence = new CopyOnWriteArrayList<>();
    /** Everything the node published, in the order it arrived (to check what came before what). */
    final List<Message> arrivals = new CopyOnWriteArrayList<>();

    /** Listens to every node (for tests with several). */
    Orchestrator(BrokerUrl url) throws Exception {
        this(url, "+");
    }

    /** Listens to one node's topics only. */
    Orchestrator(BrokerUrl url, String node) throws Exception {
        transport = Transports.create(TransportOptions.builder(url, "orchestrator-" + UUID.randomUUID()).build());
        transport.connect().get(10, TimeUnit.SECONDS);
        transport.subscribe(Topics.PREFIX + "/node/" + node + "/+", Qos.AT_LEAST_ONCE, m -> {
            Topics.Parsed t = Topics.parse(m.topic()).orElse(null);
            if (t == null || t.kind() == Topics.Kind.CMD || t.kind() == Topics.Kind.CONTROL) {
                return;
            }
            Message msg = codec.decode(m.payload());
            arrivals.add(msg);
            if (msg instanceof Result r) {
                results.computeIfAbsent(r.id(), k -> new CopyOnWriteArrayList<>()).add(r);
            } else if (msg instanceof LogChunk c) {
                logs.computeIfAbsent(c.id(), k -> new CopyOnWriteArrayList<>()).add(c);
            } else if (msg instanceof StateChange s) {
                states.computeIfAbsent(s.id(), k -> new CopyOnWriteArrayList<>()).add(s);
            } else if (msg instanceof ApprovalRequest a) {
                approvals.put(a.id(), a);
            } else if (msg instanceof Presence p) {
                presence.add(p);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    void send(String node, Message message) throws Exception {
        publishRaw(Topics.cmd(node), codec.encode(message));
    }

    /** Publishes all at once (no wait for one broker ack before the next), then waits for the acks. */
    void sendAll(String node, List<? extends Message> messages) throws Exception {
        List<java.util.concurrent.CompletableFuture<Void>> acks = new ArrayList<>();
        for (Message m : messages) {
            acks.add(transport.publish(OutboundMessage.reliable(Topics.cmd(node), codec.encode(m))));
        }
        java.util.concurrent.CompletableFuture.allOf(acks.toArray(java.util.concurrent.CompletableFuture[]::new))
                .get(30, TimeUnit.SECONDS);
    }

    void control(String node, Message message) throws Exception {
        publishRaw(Topics.control(node), codec.encode(message));
    }

    void publishRaw(String topic, byte[] payload) throws Exception {
        transport.publish(OutboundMessage.reliable(topic, payload)).get(10, TimeUnit.SECONDS);
    }

    Result awaitResult(String id, Duration limit) {
        Awaitility.await("result of " + id).atMost(limit).until(() -> results.containsKey(id));
        return results.get(id).get(0);
    }

    Result awaitResult(String id) {
        return awaitResult(id, Duration.ofSeconds(30));
    }

    /** The bytes of one stream, reassembled from the log chunks in sequence order. */
    byte[] output(String id, LogChunk.Stream stream) {
        List<LogChunk> chunks = new ArrayList<>(logs.getOrDefault(id, List.of()));
        chunks.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (LogChunk c : chunks) {
            if (c.stream() == stream) {
                out.writeBytes(c.bytes());
            }
        }
        return out.toByteArray();
    }

    String stdout(String id) {
        return new String(output(id, LogChunk.Stream.STDOUT), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        transport.close();
    }
}
