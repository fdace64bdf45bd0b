package dev.hostops.dispatcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.InboundMessage;
import dev.hostops.broker.OutboundMessage;
import dev.hostops.broker.Qos;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's simulated nodes speak the real contract over a real Mosquitto: presence, RUNNING,
 * SUCCEEDED, a stored result for a repeated exec, silence while paused. Needs {@code mosquitto}.
 */
class SimulatedNodesTest {
    private static final MessageCodec CODEC = MessageCodec.standard();

    @TempDir
    Path dir;

    @Test
    void answersLikeANodeOverARealBroker() throws Exception {
        List<InboundMessage> seen = new CopyOnWriteArrayList<>();
        try (BenchMosquitto mosquitto = BenchMosquitto.start(dir.resolve("mosquitto"));
             SimulatedNodes nodes = SimulatedNodes.start("127.0.0.1", mosquitto.port(), "t", 2, 1, true, Map.of("site", "lab"), s -> { });
             Transport observer = Transports.create(TransportOptions.builder(BrokerUrl.parse(mosquitto.url()),
                     "sim-test-" + UUID.randomUUID()).build())) {
            for (Topics.Kind kind : List.of(Topics.Kind.PRESENCE, Topics.Kind.STATE, Topics.Kind.RESULT)) {
                observer.subscribe(Topics.allNodes(kind), Qos.AT_LEAST_ONCE, seen::add);
            }
            observer.connect().get(10, TimeUnit.SECONDS);
            assertThat(nodes.names()).containsExactly("t-00000", "t-00001");

            await().atMost(Duration.ofSeconds(10)).until(() -> messages(seen, Presence.class).size() == 2);
            assertThat(messages(seen, Presence.class)).allSatisfy(p -> {
                assertThat(p.state()).isEqualTo(Presence.State.ONLINE);
                assertThat(p.labels()).containsEntry("site", "lab");
            });

            Exec exec = Exec.of("sim-" + UUID.randomUUID(), "t-00001", List.of("/usr/bin/true"));
            observer.publish(OutboundMessage.reliable(Topics.cmd("t-00001"), CODEC.encode(exec))).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> messages(seen, Result.class).size() == 1);
            Result result = messages(seen, Result.class).get(0);
            assertThat(result.id()).isEqualTo(exec.id());
            assertThat(result.node()).isEqualTo("t-00001");
            assertThat(result.status()).isEqualTo(CommandStatus.SUCCEEDED);
            assertThat(messages(seen, StateChange.class)).singleElement()
                    .satisfies(s -> assertThat(s.status()).isEqualTo(CommandStatus.RUNNING));

            // The same exec again: the stored result again, not a second run.
            observer.publish(OutboundMessage.reliable(Topics.cmd("t-00001"), CODEC.encode(exec))).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> messages(seen, Result.class).size() == 2);
            assertThat(messages(seen, Result.class).get(1)).isEqualTo(result);
            assertThat(nodes.repeats()).isEqualTo(1);
            assertThat(messages(seen, StateChange.class)).hasSize(1);

            // Paused: the exec is taken, nothing is said.
            nodes.answering(false);
            Exec quiet = Exec.of("sim-" + UUID.randomUUID(), "t-00000", List.of("/usr/bin/true"));
            observer.publish(OutboundMessage.reliable(Topics.cmd("t-00000"), CODEC.encode(quiet))).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> nodes.execsSeen() == 3);
            assertThat(messages(seen, Result.class)).noneMatch(r -> r.id().equals(quiet.id()));
        }
    }

    private static <T extends Message> List<T> messages(List<InboundMessage> seen, Class<T> type) {
        return seen.stream().map(m -> {
            try {
                return CODEC.decode(m.payload());
            } catch (Exception e) {
                throw new AssertionError("a simulated node sent something the codec refuses on " + m.topic(), e);
            }
        }).filter(type::isInstance).map(type::cast).toList();
    }
}
