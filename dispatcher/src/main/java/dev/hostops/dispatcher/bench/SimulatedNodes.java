package dev.hostops.dispatcher.bench;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxThread;
import io.vertx.core.spi.VertxThreadFactory;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Simulated nodes: each has its own MQTT connection to the broker ({@link MiniMqttConnection}),
 * subscribes to its {@code cmd} topic, publishes a retained online presence, and answers every
 * exec at once with a RUNNING state (optional) and a SUCCEEDED result, encoded with the real
 * {@link MessageCodec}. No process is spawned. While {@link #answering} is false they take
 * commands (PUBACK) and say nothing, so commands stay in flight in the dispatcher.
 *
 * <p>All connections share {@code eventLoops} Vert.x threads.
 */
final class SimulatedNodes implements AutoCloseable {
    private static final MessageCodec CODEC = MessageCodec.standard();

    private final Vertx vertx;
    private final NetClient client;
    private final List<String> names = new ArrayList<>();
    private final List<MiniMqttConnection> connections = new ArrayList<>();
    private final boolean sendRunning;
    private volatile boolean answering = true;
    private final AtomicLong execsSeen = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    /** Like a real node: an exec seen again gets the same result again, never a second run. */
    private final Map<String, byte[]> answered = new java.util.concurrent.ConcurrentHashMap<>();

    /** Names of the simulated nodes' threads, so that {@link CpuAccount} can tell their CPU from the dispatcher's. */
    static final String THREAD_PREFIX = "hostops-sim-";

    private SimulatedNodes(int eventLoops, boolean sendRunning) {
        // A thread factory is only reachable through VertxBuilder (internal in Vert.x 4, public API in 5).
        this.vertx = new io.vertx.core.impl.VertxBuilder(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(1))
                .threadFactory(new VertxThreadFactory() {
                    @Override
                    public VertxThread newVertxThread(Runnable target, String name, boolean worker, long maxExecTime,
                                                      TimeUnit maxExecTimeUnit) {
                        return VertxThreadFactory.INSTANCE.newVertxThread(target, THREAD_PREFIX + name, worker, maxExecTime,
                                maxExecTimeUnit);
                    }
                })
                .init().vertx();
        this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(30_000));
        this.sendRunning = sendRunning;
    }

    /**
     * Connects {@code count} nodes named {@code prefix-00000...}, at most {@code parallel} connects
     * at a time; returns when every one is connected, subscribed and announced.
     */
    static SimulatedNodes start(String host, int port, String prefix, int count, int eventLoops, boolean sendRunning,
                                Map<String, String> labels, Consumer<String> progress) throws Exception {
        SimulatedNodes s = new SimulatedNodes(eventLoops, sendRunning);
        try {
            int parallel = 200;
            for (int from = 0; from < count; from += parallel) {
                List<Future<MiniMqttConnection>> wave = new ArrayList<>();
                for (int i = from; i < Math.min(count, from + parallel); i++) {
                    String node = String.format("%s-%05d", prefix, i);
                    s.names.add(node);
                    wave.add(MiniMqttConnection.connect(s.client, host, port, node + "-" + UUID.randomUUID().toString().substring(0, 8),
                                    s::onPublish)
                            .compose(c -> c.subscribe(Topics.cmd(node)).map(v -> {
                                Presence p = new Presence(UUID.randomUUID().toString(), node, Presence.State.ONLINE, "sim", "linux",
                                        "amd64", "bench-sim", null, null, labels, null, Instant.now());
                                c.publish(Topics.presence(node), CODEC.encode(p), true);
                                return c;
                            })));
                }
                for (Future<MiniMqttConnection> f : wave) {
                    s.connections.add(f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
                }
                if ((from / parallel) % 5 == 4) {
                    progress.accept("simulated nodes connected: " + s.connections.size() + " of " + count);
                }
            }
            return s;
        } catch (Exception e) {
            s.close();
            throw e;
        }
    }

    List<String> names() {
        return names;
    }

    /** False: take commands and say nothing (they stay in flight); true: answer at once. */
    void answering(boolean on) {
        this.answering = on;
    }

    long execsSeen() {
        return execsSeen.get();
    }

    /** Execs that came again (the dispatcher published them twice) and got their stored result again. */
    long repeats() {
        return repeats.get();
    }

    private void onPublish(MiniMqttConnection c, String topic, byte[] payload) {
        execsSeen.incrementAndGet();
        if (!answering) {
            return;
        }
        Exec exec;
        try {
            exec = CODEC.decode(payload, Exec.class);
        } catch (Exception e) {
            return; // not an exec: a real node would answer REJECTED; the bench sends only valid ones
        }
        byte[] again = answered.get(exec.id());
        if (again != null) {
            repeats.incrementAndGet();
            c.publish(Topics.result(exec.node()), again, false);
            return;
        }
        Instant now = Instant.now();
        if (sendRunning) {
            c.publish(Topics.state(exec.node()), CODEC.encode(new StateChange(exec.id(), exec.node(), CommandStatus.RUNNING, now, null)),
                    false);
        }
        Result r = new Result(exec.id(), exec.node(), CommandStatus.SUCCEEDED, 0, now, now, 0L, "/usr/bin/true", null,
                null, null, 0, 0, 0, false, null);
        byte[] bytes = CODEC.encode(r);
        answered.put(exec.id(), bytes);
        c.publish(Topics.result(exec.node()), bytes, false);
    }

    @Override
    public void close() {
        for (MiniMqttConnection c : connections) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the bench is ending
        }
    }
}
