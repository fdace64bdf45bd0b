package dev.hostops.node.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile fields around an allowed program ({@code bin/mark}, which leaves a marker when it runs):
 * loader and lookup variables, NUL bytes, huge argv, a command for another node, a command asking
 * for a looser policy. Each is refused before the program starts.
 */
class InputAttacksTest extends AgentUnderAttack {

    private List<String> mark(String name) throws Exception {
        Path p = host.bin.resolve("mark-" + name);
        if (!p.toFile().exists()) {
            host.plant(p, name);
        }
        return List.of(p.toString());
    }

    @ParameterizedTest(name = "env {0}")
    @ValueSource(strings = {"PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "DYLD_INSERT_LIBRARIES", "NODE_OPTIONS", "BASH_ENV"})
    void loaderAndLookupVariablesAreForbidden(String name) throws Exception {
        Exec e = with(exec(id(), mark("env")), null, Map.of(name, host.root.toString()), null, null);
        Result r = assertRejected(e, "FORBIDDEN_ENV");
        assertThat(r.error().message()).contains(name);
    }

    @Test
    void aNulByteInAnArgumentIsRejected() throws Exception {
        List<String> argv = new ArrayList<>(mark("nul-arg"));
        argv.add("a\u0000b");
        assertRejected(exec(id(), argv), "INVALID_FIELD");
    }

    @Test
    void aNulByteInTheProgramPathIsRejected() throws Exception {
        assertRejected(exec(id(), List.of(mark("nul-prog").get(0) + "\u0000/usr/bin/touch")), "INVALID_FIELD");
    }

    @Test
    void aNulByteInTheWorkdirIsRejected() throws Exception {
        assertRejected(with(exec(id(), mark("nul-workdir")), host.work + "\u0000/etc", null, null, null), "INVALID_FIELD");
    }

    @Test
    void aNulByteInAnEnvironmentNameOrValueIsRejected() throws Exception {
        assertRejected(with(exec(id(), mark("nul-env")), null, Map.of("A\u0000B", "x"), null, null), "INVALID_FIELD");
        assertRejected(with(exec(id(), mark("nul-env")), null, Map.of("A", "x\u0000LD_PRELOAD=/x"), null, null),
                "INVALID_FIELD");
    }

    @Test
    void anEnvironmentNameWithAnEqualsSignIsRejected() throws Exception {
        assertRejected(with(exec(id(), mark("env-eq")), null, Map.of("A=B", "x"), null, null), "INVALID_FIELD");
    }

    @Test
    void aHundredThousandArgumentsAreRejected() throws Exception {
        List<String> argv = new ArrayList<>(mark("many-args"));
        argv.addAll(Collections.nCopies(100_000, "a"));
        // Exec refuses to build such a record, so the attacker writes the JSON by hand
        String id = id();
        StringBuilder json = new StringBuilder("{\"v\":1,\"type\":\"exec\",\"id\":\"" + id + "\",\"node\":\"" + host.node
                + "\",\"argv\":[");
        for (int i = 0; i < argv.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(argv.get(i)).append('"');
        }
        json.append("]}");
        attacker.publishRaw(Topics.cmd(host.node), json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Result r = attacker.awaitResult(id);
        assertThat(r.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(r.error().code()).isEqualTo("INVALID_FIELD");
        assertThat(r.error().message()).contains("4096");
    }

    @Test
    void aOneMebibyteArgumentIsDroppedAsTooLargeAndNeverRuns() throws Exception {
        String id = id();
        List<String> argv = new ArrayList<>(mark("huge-arg"));
        argv.add("a".repeat(1024 * 1024));
        byte[] payload = MessageCodec.standard().encode(exec(id, argv));
        assertThat(payload.length).isGreaterThan(MessageCodec.DEFAULT_MAX_BYTES);
        try {
            attacker.publishRaw(Topics.cmd(host.node), payload);
        } catch (java.util.concurrent.ExecutionException refusedByTheBroker) {
            // A broker with a packet limit (the project's Mosquitto config: 1 MiB) refuses it already.
            assertThat(refusedByTheBroker.getCause()).hasMessageContaining("maximum packet size");
        }

        // A message over the limit is dropped before it is parsed (no id to answer to). A command
        // sent after it on the same topic is a barrier: once it is answered, the big one was handled.
        String barrier = id();
        attacker.send(host.node, exec(barrier, List.of("/usr/bin/true")));
        assertThat(attacker.awaitResult(barrier).status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(attacker.hasResult(id)).isFalse();
    }

    @Test
    void anArgumentUnderTheMessageLimitButOverTheKernelsIsNotStarted() throws Exception {
        // Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN) at exec time
        List<String> argv = new ArrayList<>(mark("big-arg"));
        argv.add("a".repeat(512 * 1024));
        // (the policy allowed it; the kernel refused to start it: REJECTED, it never ran)
        assertRejected(exec(id(), argv), "SPAWN_FAILED");
    }

    @Test
    void aCommandForAnotherNodeIsRefusedHere() throws Exception {
        String id = id();
        Exec forOther = Exec.of(id, "some-other-node", mark("wrong-node"));
        attacker.send(host.node, forOther);
        Result r = attacker.awaitResult(id);
        assertThat(r.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(r.error().code()).isEqualTo("WRONG_NODE");
        assertThat(r.node()).isEqualTo(host.node);
    }

    @Test
    void securityFullInTheCommandDoesNotLoosenAnAllowlistNode() throws Exception {
        Exec e = with(exec(id(), List.of("/usr/bin/touch", host.markers.resolve("full").toString())), null, null,
                SecurityMode.FULL, null);
        assertRejected(e, "ALLOWLIST_MISS");
    }

    @Test
    void securityDenyInTheCommandTightensIt() throws Exception {
        assertRejected(with(exec(id(), mark("deny")), null, null, SecurityMode.DENY, null), "SECURITY_DENY");
    }
}
