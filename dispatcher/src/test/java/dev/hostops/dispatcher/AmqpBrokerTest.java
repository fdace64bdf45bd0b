package dev.hostops.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import dev.hostops.broker.internal.amqp.AmqpTransport;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import dev.hostops.dispatcher.testing.Api;
import dev.hostops.dispatcher.testing.Harness;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher on RabbitMQ (AMQP 0-9-1, the shared local one), with a node played through the
 * transport API. The dispatcher's durable queue is deleted afterwards: the broker is shared.
 */
class AmqpBrokerTest {
    private static final BrokerUrl RABBIT = BrokerUrl.parse("amqp://guest:guest@127.0.0.1:5672");

    @TempDir
    Path dir;

    @Test
    void submitAndObserveOverAmqp() throws Exception {
        Assumptions.assumeTrue(answers(), "RabbitMQ is not answering on 127.0.0.1:5672");
        String node = "amqp-" + UUID.randomUUID().toString().substring(0, 8);
        MessageCodec codec = MessageCodec.standard();
        Harness h = new Harness(dir, RABBIT, Duration.ofSeconds(60));
        String dispatcherQueue = AmqpTransport.QUEUE_PREFIX + h.dispatcher().config().clientId();
        try (Transport sim = Transports.create(TransportOptions.builder(RABBIT, "sim-" + node).build())) {
            var subscribed = sim.subscribe(Topics.cmd(node), Qos.AT_LEAST_ONCE, in -> {
                Exec e = codec.decode(in.payload(), Exec.class);
                send(sim, Topics.state(node), codec.encode(new StateChange(e.id(), node, CommandStatus.RUNNING, Instant.now(), null)));
                send(sim, Topics.log(node), codec.encode(new LogChunk(e.id(), node, 0, LogChunk.Stream.STDOUT, "over amqp\n", null, false)));
                send(sim, Topics.result(node), codec.encode(new Result(e.id(), node, CommandStatus.SUCCEEDED, 0, Instant.now(),
                        Instant.now(), 1L, null, null, null, null, 10, 0, 1, false, null)));
            });
            sim.connect().get(10, java.util.concurrent.TimeUnit.SECONDS);
            subscribed.get(10, java.util.concurrent.TimeUnit.SECONDS);
            send(sim, Topics.presence(node), codec.encode(new Presence("s1", node, Presence.State.ONLINE, null, "linux", null,
                    null, null, List.of(), Map.of(), null, Instant.now())));

            Api.Reply r = h.api().post("/v1/commands?wait=20", Harness.SUBMIT, "{\"node\":\"" + node + "\",\"argv\":[\"uname\",\"-a\"]}");
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.body().path("status").asText()).isEqualTo("SUCCEEDED");
            String id = r.body().path("id").asText();
            assertThat(h.api().get("/v1/commands/" + id + "/logs", Harness.READ).body().path("chunks").get(0).path("data").asText())
                    .isEqualTo("over amqp\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> h.api().get("/v1/nodes/" + node, Harness.READ).status() == 200);
        } finally {
            h.close();
            deleteQueue(dispatcherQueue);
        }
    }

    private static void send(Transport t, String topic, byte[] payload) {
        t.publish(OutboundMessage.reliable(topic, payload)).join();
    }

    private static boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5672), 1000);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void deleteQueue(String queue) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(5672);
        f.setUsername("guest");
        f.setPassword("guest");
        try (Connection c = f.newConnection(); com.rabbitmq.client.Channel ch = c.createChannel()) {
            ch.queueDelete(queue);
        }
    }
}
