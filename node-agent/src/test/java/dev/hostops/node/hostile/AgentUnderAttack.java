package dev.hostops.node.hostile;

import dev.hostops.node.testing.TestBrokers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Result;
import dev.hostops.node.AgentState;
import dev.hostops.node.NodeAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One real node agent on a real broker for a whole test class, attacked by raw messages on its
 * cmd topic. After every test no marker file may exist (nothing ran); after the class the same
 * agent still runs a valid command, so no attack stopped it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AgentUnderAttack {
    private Path tmp;

    HostileHost host;
    Attacker attacker;
    private NodeAgent agent;

    /** The node's {@code ask} setting; {@code off} turns every would-be question into a refusal. */
    String ask() {
        return "off";
    }

    @BeforeAll
    void startAgent() throws Exception {
        tmp = Files.createTempDirectory("hostops-hostile-");
        host = new HostileHost(tmp, "hostile-" + UUID.randomUUID().toString().substring(0, 8), ask());
        attacker = new Attacker(TestBrokers.mqtt(), host.node);
        agent = host.start(TestBrokers.mqtt());
    }

    @AfterEach
    void nothingRan() throws Exception {
        assertThat(host.markersLeft()).as("marker files left by programs that ran").isEmpty();
    }

    @AfterAll
    void theAgentStillRunsAValidCommand() throws Exception {
        try {
            Path ok = host.plant(host.bin.resolve("still-alive"), "still-alive");
            String id = id();
            attacker.send(host.node, Exec.of(id, host.node, List.of(ok.toString())));
            Result r = attacker.awaitResult(id);
            assertThat(r.status()).as("valid command after the attacks: " + r.error()).isEqualTo(CommandStatus.SUCCEEDED);
            assertThat(host.markersLeft()).containsExactly("still-alive");
            assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
        } finally {
            agent.close();
            attacker.close();
            deleteTree(tmp);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    Exec exec(String id, List<String> argv) {
        return Exec.of(id, host.node, argv);
    }

    static Exec command(String id, String node, String commandLine) {
        return new Exec(id, node, null, commandLine, null, null, null, null, null, null, null, null, null, null);
    }

    static Exec with(Exec e, String workdir, Map<String, String> env, SecurityMode security, AskMode ask) {
        return new Exec(e.id(), e.node(), e.argv(), e.command(), workdir, env, null, null, security, ask, "hostile-test",
                null, null, null);
    }

    /** Sends the command, waits for its result and checks it is REJECTED with {@code code}. */
    Result assertRejected(Exec e, String code) throws Exception {
        attacker.send(host.node, e);
        Result r = attacker.awaitResult(e.id());
        assertThat(r.status()).as("status of " + e).isEqualTo(CommandStatus.REJECTED);
        assertThat(r.error().code()).as("error of " + e + ": " + r.error().message()).isEqualTo(code);
        assertThat(r.startedAt()).as("a rejected command never started").isNull();
        return r;
    }
}
