package dev.hostops.node.trust;

import dev.hostops.node.testing.TestBrokers;

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
import dev.hostops.node.NodeAgent;
import dev.hostops.node.NodeConfig;
import dev.hostops.node.store.NodeStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real node agent on a real MQTT broker (as the agent's end-to-end tests start one), and a raw
 * client that publishes to its topics and records its results and approval requests.
 */
final class SignedNode implements AutoCloseable {

    final String node = "sig-" + UUID.randomUUID().toString().substring(0, 8);
    final NodeAgent agent;
    private final Transport client;
    private final MessageCodec codec = MessageCodec.standard();
    final Map<String, List<Result>> results = new ConcurrentHashMap<>();
    final Map<String, ApprovalRequest> approvals = new ConcurrentHashMap<>();

    SignedNode(Path policy, Path data) throws Exception {
        BrokerUrl url = broker();
        client = Transports.create(TransportOptions.builder(url, "sig-client-" + UUID.randomUUID()).build());
        client.connect().get(10, TimeUnit.SECONDS);
        client.subscribe(Topics.PREFIX + "/node/" + node + "/+", Qos.AT_LEAST_ONCE, m -> {
            Topics.Parsed t = Topics.parse(m.topic()).orElse(null);
            if (t == null || t.kind() == Topics.Kind.CMD || t.kind() == Topics.Kind.CONTROL) {
                return;
            }
            Message msg = codec.decode(m.payload());
            if (msg instanceof Result r) {
                results.computeIfAbsent(r.id(), k -> new CopyOnWriteArrayList<>()).add(r);
            } else if (msg instanceof ApprovalRequest a) {
                approvals.put(a.id(), a);
            }
        }).get(10, TimeUnit.SECONDS);
        agent = new NodeAgent(new NodeConfig(url, node, policy, data, 4, Duration.ofMinutes(1), Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ofDays(1), NodeStore.Durability.NORMAL, Map.of("test", "true"), null, null));
        agent.start();
    }

    void publish(Topics.Kind kind, byte[] payload) throws Exception {
        String topic = kind == Topics.Kind.CMD ? Topics.cmd(node) : Topics.control(node);
        client.publish(OutboundMessage.reliable(topic, payload)).get(10, TimeUnit.SECONDS);
    }

    /** The first result for {@code id}. */
    Result awaitResult(String id) {
        return awaitResults(id, 1).get(0);
    }

    List<Result> awaitResults(String id, int count) {
        Awaitility.await("result " + count + " of " + id).atMost(Duration.ofSeconds(30))
                .until(() -> results.getOrDefault(id, List.of()).size() >= count);
        return results.get(id);
    }

    ApprovalRequest awaitApprovalRequest(String id) {
        Awaitility.await("approval request for " + id).atMost(Duration.ofSeconds(30)).until(() -> approvals.containsKey(id));
        return approvals.get(id);
    }

    @Override
    public void close() {
        try {
            agent.close();
        } finally {
            client.close();
        }
    }

    /** The broker every node-agent end-to-end test shares. */
    static BrokerUrl broker() {
        return TestBrokers.mqtt();
    }
}
