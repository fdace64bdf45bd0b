package dev.hostops.dispatcher.testing;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Cancel;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

/**
 * Plays a node agent over a plain HiveMQ MQTT client (not the project's transport), speaking the wire contract: presence online (retained, with
 * an offline last will), and for each exec on its cmd topic DELIVERED, RUNNING, log chunks and a
 * result, as {@link Mode} says. In {@link Mode#HOLD} the command stays RUNNING until the test
 * calls {@link #log} and {@link #finish}. A cancel on the control topic ends a command CANCELLED.
 */
public final class SimulatedNode implements AutoCloseable {
    /** How the node answers execs. */
    /**
     * SILENT records what it receives and answers nothing: the command stays QUEUED in the ledger.
     * ASK answers DELIVERED only, for a test that then calls {@link #askApproval} (AWAITING_APPROVAL
     * and the request, as a real node whose policy asks) and {@link #finish}.
     */
    public enum Mode { SUCCEED, FAIL, HOLD, SILENT, ASK }

    private final String node;
    private final Mqtt5BlockingClient client;
    private final MessageCodec codec = MessageCodec.standard();
    private final String session = UUID.randomUUID().toString();
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final Map<String, AtomicLong> seqs = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    /** Every exec and control message received, in order. */
    public final List<Message> received = new CopyOnWriteArrayList<>();
    private volatile Mode mode;

    private SimulatedNode(String node, BrokerUrl url, Mode mode, Map<String, String> labels, String os) {
        this.node = node;
        this.mode = mode;
        this.client = MqttClient.builder().useMqttVersion5()
                .identifier("sim-" + node + "-" + session.substring(0, 8))
                .serverHost(url.host()).serverPort(url.port())
                .willPublish().topic(Topics.presence(node)).payload(codec.encode(Presence.offline(session, node)))
                .qos(MqttQos.AT_LEAST_ONCE).retain(true).applyWillPublish()
                .buildBlocking();
        client.connectWith().cleanStart(true).send();
        for (String topic : List.of(Topics.cmd(node), Topics.control(node))) {
            client.toAsync().subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).callback(this::onMessage).send().join();
        }
        publish(Topics.presence(node), new Presence(session, node, Presence.State.ONLINE, "host-" + node, os, "amd64", "sim-1",
                null, List.of(), labels, 4, Instant.now()), true);
    }

    public static SimulatedNode start(String node, BrokerUrl url, Mode mode) {
        return start(node, url, mode, Map.of(), "linux");
    }

    public static SimulatedNode start(String node, BrokerUrl url, Mode mode, Map<String, String> labels, String os) {
        try {
            return new SimulatedNode(node, url, mode, labels, os);
        } catch (RuntimeException e) {
            throw new IllegalStateException("simulated node " + node + " cannot connect: " + e, e);
        }
    }

    public String node() {
        return node;
    }

    public void mode(Mode m) {
        this.mode = m;
    }

    /** Execs received so far. */
    public List<Exec> execs() {
        return received.stream().filter(Exec.class::isInstance).map(Exec.class::cast).toList();
    }

    /** Publishes a stdout chunk for a held command. */
    public void log(String id, String text) {
        long seq = seqs.computeIfAbsent(id, k -> new AtomicLong()).getAndIncrement();
        publish(Topics.log(node), new LogChunk(id, node, seq, LogChunk.Stream.STDOUT, text, null, false), false);
    }

    /** Asks for approval of a held command, as a node with ask: always would. */
    public void askApproval(String id, List<String> argv) {
        publish(Topics.state(node), new StateChange(id, node, CommandStatus.AWAITING_APPROVAL, Instant.now(), null), false);
        publish(Topics.approval(node), new dev.hostops.contracts.message.ApprovalRequest(id, node, argv, null, "/usr/bin/sim",
                "ask: always", "test", Instant.now().plusSeconds(120)), false);
    }

    /** Publishes the result of a held command. */
    public void finish(String id, CommandStatus status, int exitCode) {
        long chunks = seqs.computeIfAbsent(id, k -> new AtomicLong()).get();
        Instant now = Instant.now();
        publish(Topics.result(node), new Result(id, node, status, exitCode, now, now, 0L, "/usr/bin/sim", null, null, null,
                0, 0, chunks, false, status == CommandStatus.SUCCEEDED || status == CommandStatus.FAILED ? null
                : ErrorCode.valueOf(status.name()).info()), false);
    }

    private void onExec(Exec e) {
        if (mode == Mode.SILENT || !seen.add(e.id())) {
            return; // at most once per id, like a real agent
        }
        publish(Topics.state(node), new StateChange(e.id(), node, CommandStatus.DELIVERED, Instant.now(), null), false);
        if (mode == Mode.ASK) {
            return; // the test asks for approval (askApproval), as a node whose policy asks would
        }
        publish(Topics.state(node), new StateChange(e.id(), node, CommandStatus.RUNNING, Instant.now(), null), false);
        switch (mode) {
            case SUCCEED -> {
                log(e.id(), "ran " + (e.argv() != null ? String.join(" ", e.argv()) : e.command()) + "\n");
                finish(e.id(), CommandStatus.SUCCEEDED, 0);
            }
            case FAIL -> {
                log(e.id(), "failing on purpose\n");
                finish(e.id(), CommandStatus.FAILED, 1);
            }
            case HOLD, SILENT -> { }
        }
    }

    private void publish(String topic, Message m, boolean retain) {
        try {
            client.publishWith().topic(topic).payload(codec.encode(m)).qos(MqttQos.AT_LEAST_ONCE).retain(retain).send();
        } catch (RuntimeException e) {
            throw new IllegalStateException("simulated node " + node + " cannot publish: " + e, e);
        }
    }

    /**
     * Drops the connection as a crash would, as far as the broker is concerned: DISCONNECT with
     * reason code 0x04 (Disconnect with Will Message), so the broker publishes the offline will.
     */
    public void crash() {
        try {
            client.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
        } catch (RuntimeException ignored) {
            // already gone
        }
        worker.shutdownNow();
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (client.getState().isConnected()) {
                publish(Topics.presence(node), Presence.offline(session, node), true);
                client.disconnect();
            }
        } catch (RuntimeException ignored) {
            // closing a test node
        }
        try {
            worker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onMessage(Mqtt5Publish message) {
        Message m;
        try {
            m = codec.decode(message.getPayloadAsBytes());
        } catch (Exception e) {
            return;
        }
        received.add(m);
        try {
            if (m instanceof Exec e) {
                worker.execute(() -> onExec(e));
            } else if (m instanceof Cancel c && seen.contains(c.id())) {
                worker.execute(() -> finish(c.id(), CommandStatus.CANCELLED, -1));
            }
        } catch (java.util.concurrent.RejectedExecutionException crashedOrClosed) {
            // a crashed or closed node does nothing more
        }
    }
}
