package dev.hostops.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.dispatcher.Dispatcher;
import dev.hostops.dispatcher.DispatcherConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hostops exec} against a dispatcher that cannot reach its broker: the message says so, not just "unknown node". */
class DispatcherNotReadyTest {
    static final String TOKEN = "not-ready-token-0123456789abcdef0123456789";

    @TempDir
    Path dir;

    @Test
    void anUnknownNodeOnADispatcherWithoutItsBrokerSaysWhy() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort(); // nothing listens there once it is closed
        }
        Files.writeString(dir.resolve("tokens.yaml"), "tokens:\n  - {name: tier2, token: \"" + TOKEN + "\", roles: [submit, read]}\n");
        try (Dispatcher d = new Dispatcher(DispatcherConfig.builder().broker("mqtt://127.0.0.1:" + deadPort)
                .dataDir(dir.resolve("data")).http("127.0.0.1:0").tokens(dir.resolve("tokens.yaml")).build())) {
            d.start();
            Captured c = Captured.run("exec", "--url", "http://127.0.0.1:" + d.httpPort(), "--token", TOKEN,
                    "--node", "HostOps-Win", "--", "git", "fetch");
            assertThat(c.exitCode()).isEqualTo(2);
            assertThat(c.err()).contains("unknown node 'HostOps-Win'").contains("the dispatcher is not ready: broker")
                    .contains("--broker").contains("--any-node");
        }
    }
}
