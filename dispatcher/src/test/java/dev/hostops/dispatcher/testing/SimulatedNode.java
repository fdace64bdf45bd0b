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
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Plays a node agent over plain Paho, speaking the wire contract: presence online (retained, with
 * an offline last will), and for each exec on its cmd topic DELIVERED, RUNNING, log chunks and a
 * result, as {@link Mode} says. In {@link Mode#HOLD} the command stays RUNNING until the test
 * calls {@link #log} and {@link #finish}. A cancel on the control topic ends a command CANCELLED.
 */
public final class SimulatedNode implements AutoCloseable {
    /** How the node answers execs. */
    public enum Mode { SUCCEED, FAIL, HOLD }

    private final String node;
    private final MqttClient client;
    private final MessageCodec codec = MessageCodec.standard();
    private final String session = UUID.randomUUID().toString();
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final Map<String, AtomicLong> seqs = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    /** Every exec and control message received, in order. */
    public final List<Message> received = new CopyOnWriteArrayList<>();
    private volatile Mode mode;

    private SimulatedNode(String node, BrokerUrl url, Mode mode, Map<String, String> labels, String os) throws MqttException {
        this.node = node;
        this.mode = mode;
        this.client = new MqttClient(url.pahoServerUri(), "sim-" + node + "-" + session.substring(0, 8), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        MqttMessage will = new MqttMessage(codec.encode(Presence.offline(session, node)));
        will.setQos(1);
        will.setRetained(true);
        o.setWill(Topics.presence(node), will);
        client.setCallback(new Callback());
        client.connect(o);
        client.subscribe(Topics.cmd(node), 1);
        client.subscribe(Topics.control(node), 1);
        publish(Topics.presence(node), new Presence(session, node, Presence.State.ONLINE, "host-" + node, os, "amd64", "sim-1",
                null, List.of(), labels, 4, Instant.now()), true);
    }

    public static SimulatedNode start(String node, BrokerUrl url, Mode mode) {
        return start(node, url, mode, Map.of(), "linux");
    }

    public static SimulatedNode start(String node, BrokerUrl url, Mode mode, Map<String, String> labels, String os) {
        try {
            return new SimulatedNode(node, url, mode, labels, os);
        } catch (MqttException e) {
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
        if (!seen.add(e.id())) {
            return; // at most once per id, like a real agent
        }
        publish(Topics.state(node), new StateChange(e.id(), node, CommandStatus.DELIVERED, Instant.now(), null), false);
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
            case HOLD -> { }
        }
    }

    private void publish(String topic, Message m, boolean retain) {
        try {
            MqttMessage msg = new MqttMessage(codec.encode(m));
            msg.setQos(1);
            msg.setRetained(retain);
            client.publish(topic, msg);
        } catch (MqttException e) {
            throw new IllegalStateException("simulated node " + node + " cannot publish: " + e, e);
        }
    }

    /** Drops the connection without a clean disconnect: the broker publishes the offline will. */
    public void crash() {
        try {
            client.disconnectForcibly(0, 0, false);
        } catch (MqttException ignored) {
            // already gone
        }
        worker.shutdownNow();
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (client.isConnected()) {
                publish(Topics.presence(node), Presence.offline(session, node), true);
                client.disconnect();
            }
            client.close();
        } catch (MqttException ignored) {
            // closing a test node
        }
        try {
            worker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            Message m;
            try {
                m = codec.decode(message.getPayload());
            } catch (Exception e) {
                return;
            }
            received.add(m);
            if (m instanceof Exec e) {
                worker.execute(() -> onExec(e));
            } else if (m instanceof Cancel c && seen.contains(c.id())) {
                worker.execute(() -> finish(c.id(), CommandStatus.CANCELLED, -1));
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) { }

        @Override
        public void mqttErrorOccurred(MqttException e) { }

        @Override
        public void deliveryComplete(IMqttToken token) { }

        @Override
        public void connectComplete(boolean reconnect, String uri) { }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties props) { }
    }
}
