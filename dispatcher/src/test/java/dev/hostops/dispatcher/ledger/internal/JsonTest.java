package dev.hostops.dispatcher.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.PolicyDecision;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ledger's one-pass encoding writes exactly what the codec writes, and the codec reads it back. */
class JsonTest {
    private static final Instant AT = Instant.parse("2026-11-21T12:00:00.123Z");

    static Stream<Message> messages() {
        return Stream.of(
                Exec.of("c1", "node-a", List.of("git", "status")),
                Exec.of("c2", "node-a", List.of("docker", "compose", "up", "-d")).withWorkdir("/srv/app")
                        .withEnv(Map.of("A", "1", "B", "two \"quoted\"")).withTimeoutMs(1000L).withExpiresAt(AT)
                        .withPolicy(SecurityMode.ALLOWLIST, AskMode.ON_MISS).withRequestedBy("tier2"),
                new StateChange("c1", "node-a", CommandStatus.RUNNING, AT, "pid 42"),
                new Result("c1", "node-a", CommandStatus.FAILED, 2, AT, AT.plusSeconds(1), 1000L, "/usr/bin/git",
                        new PolicyDecision("allow", "allow[0]"), "out\u00e9", "err\n", 5, 4, 2, true,
                        ErrorCode.SPAWN_FAILED.info()),
                Result.notRun("c3", "node-a", CommandStatus.REJECTED, ErrorCode.ALLOWLIST_MISS.info(), null),
                Presence.offline("s1", "node-a"));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void encodesLikeTheCodecAndDecodesBack(Message message) throws Exception {
        MessageCodec codec = MessageCodec.standard();
        String encoded = new Json(codec).encode(message);

        assertThat(encoded).isEqualTo(codec.encodeToString(message));
        assertThat(codec.decode(encoded.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(message);
    }
}
