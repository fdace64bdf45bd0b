package dev.hostops.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostops.broker.testing.MosquittoProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** start/close are idempotent, a failed start releases what it started, a closed dispatcher stays closed. */
class DispatcherLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void startCloseAndFailedStart() throws Exception {
        try (MosquittoProcess mosquitto = MosquittoProcess.start(dir.resolve("broker"))) {
            DispatcherConfig.Builder base = DispatcherConfig.builder()
                    .broker(mosquitto.url().toString())
                    .clientId("lifecycle-" + System.nanoTime())
                    .dataDir(dir.resolve("data"));

            Dispatcher d = new Dispatcher(base.http("127.0.0.1:0").build());
            assertThat(d.state()).isEqualTo(DispatcherState.NEW);
            d.start();
            d.start();
            assertThat(d.state()).isEqualTo(DispatcherState.RUNNING);
            assertThat(d.httpPort()).isPositive();
            d.close();
            d.close();
            assertThat(d.state()).isEqualTo(DispatcherState.CLOSED);
            assertThatThrownBy(d::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("CLOSED");

            try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Dispatcher clash = new Dispatcher(base.http("127.0.0.1:" + busy.getLocalPort()).build());
                assertThatThrownBy(clash::start).isNotNull();
                assertThat(clash.state()).isEqualTo(DispatcherState.CLOSED);
            }
            // the failed start released the ledger and the broker session: a new one starts on the same data
            try (Dispatcher again = new Dispatcher(base.http("127.0.0.1:0").build())) {
                again.start();
                assertThat(again.state()).isEqualTo(DispatcherState.RUNNING);
            }
        }
    }

    @Test
    void unreachableBrokerFailsTheStartWithAClearMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Dispatcher d = new Dispatcher(DispatcherConfig.builder()
                .broker("mqtt://127.0.0.1:" + port)
                .clientId("unreachable-" + System.nanoTime())
                .dataDir(dir.resolve("data2"))
                .http("127.0.0.1:0")
                .build());
        assertThatThrownBy(d::start).hasMessageContaining("127.0.0.1:" + port);
        assertThat(d.state()).isEqualTo(DispatcherState.CLOSED);
    }
}
