package dev.hostops.node.hostile;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.Result;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Someone holding broker credentials: publishes raw bytes to a node's cmd topic and reads the
 * results and approval requests the node publishes.
 */
final class Attacker implements AutoCloseable {
    private final Transport transport;
    private final MessageCodec codec = MessageCodec.standard();
    private final Map<String, Result> results = new ConcurrentHashMap<>();
    private final Map<String, ApprovalRequest> approvals = new ConcurrentHashMap<>();

    Attacker(BrokerUrl url, String node) throws Exception {
        transport = Transports.create(TransportOptions.builder(url, "attacker-" + UUID.randomUUID()).build());
        transport.connect().get(10, TimeUnit.SECONDS);
        transport.subscribe(Topics.PREFIX + "/node/" + node + "/+", Qos.AT_LEAST_ONCE, m -> {
            Topics.Parsed t = Topics.parse(m.topic()).orElse(null);
            if (t == null || t.kind() == Topics.Kind.CMD || t.kind() == Topics.Kind.CONTROL) {
                return;
            }
            Message msg = codec.decode(m.payload());
            if (msg instanceof Result r) {
                results.putIfAbsent(r.id(), r);
            } else if (msg instanceof ApprovalRequest a) {
                approvals.put(a.id(), a);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    void send(String node, Message message) throws Exception {
        publishRaw(Topics.cmd(node), codec.encode(message));
    }

    void control(String node, Message message) throws Exception {
        publishRaw(Topics.control(node), codec.encode(message));
    }

    void publishRaw(String topic, byte[] payload) throws Exception {
        transport.publish(OutboundMessage.reliable(topic, payload)).get(30, TimeUnit.SECONDS);
    }

    Result awaitResult(String id) {
        Awaitility.await("result of " + id).atMost(Duration.ofSeconds(60)).until(() -> results.containsKey(id));
        return results.get(id);
    }

    ApprovalRequest awaitApproval(String id) {
        Awaitility.await("approval request of " + id).atMost(Duration.ofSeconds(30)).until(() -> approvals.containsKey(id));
        return approvals.get(id);
    }

    /** Whether any result for {@code id} has arrived so far. */
    boolean hasResult(String id) {
        return results.containsKey(id);
    }

    @Override
    public void close() {
        transport.close();
    }
}
