package dev.hostops.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostops.broker.TlsOptions;
import dev.hostops.broker.TransportException;
import dev.hostops.broker.internal.tls.PemSslContexts;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSLContext amqps:// uses ({@link PemSslContexts}, shared with mqtts) built from PEM files of
 * a CA generated in the test, tried in a real TLS handshake against a loopback server that demands
 * a client certificate, as RabbitMQ with {@code verify_peer} and {@code fail_if_no_peer_cert} would.
 * (The shared RabbitMQ is not reconfigured for TLS; AmqpTlsTest runs a private one when it can.)
 */
class AmqpsSslContextTest {
    @TempDir
    static Path dir;
    private static SSLServerSocket server;
    private static Path ca;
    private static Path clientCert;
    private static Path clientKey;
    private static Path strangerCert;

    @BeforeAll
    static void startServer() throws Exception {
        TestCa testCa = TestCa.create("hostops amqps CA " + UUID.randomUUID());
        ca = testCa.writeCert(dir.resolve("ca.pem"));
        Path serverCert = testCa.server().write(dir, "server");
        clientCert = testCa.client("hostops-node-A").write(dir, "client");
        clientKey = dir.resolve("client.key");
        strangerCert = TestCa.create("stranger CA").client("intruder").write(dir, "stranger");
        SSLContext serverContext = PemSslContexts.create(new TlsOptions(ca, serverCert, dir.resolve("server.key")));
        server = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        Thread acceptor = new Thread(AmqpsSslContextTest::serve, "tls-echo");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Echoes one byte per connection after the handshake; a failed handshake just ends that connection. */
    private static void serve() {
        while (!server.isClosed()) {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.startHandshake();
                int b = s.getInputStream().read();
                s.getOutputStream().write(b);
                s.getOutputStream().flush();
            } catch (Exception e) {
                // the client side of each test asserts what happened
            }
        }
    }

    @Test
    void theContextCompletesAMutualHandshakeAndCarriesData() throws Exception {
        SSLContext context = PemSslContexts.create(new TlsOptions(ca, clientCert, clientKey));
        assertThat(exchange(context)).isEqualTo('h');
    }

    @Test
    void aServerFromAnotherCaIsNotTrusted() throws Exception {
        Path other = TestCa.create("other").writeCert(dir.resolve("other.pem"));
        SSLContext context = PemSslContexts.create(new TlsOptions(other, clientCert, clientKey));
        assertThatThrownBy(() -> exchange(context)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aClientCertificateFromAnotherCaIsRejectedByTheServer() throws Exception {
        SSLContext context = PemSslContexts.create(new TlsOptions(ca, strangerCert, dir.resolve("stranger.key")));
        assertThatThrownBy(() -> exchange(context)).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void missingOrHalfConfiguredFilesAreExplained() throws Exception {
        assertThatThrownBy(() -> PemSslContexts.create(new TlsOptions(ca, clientCert, null)))
                .isInstanceOf(TransportException.class).hasMessageContaining("both a certificate file and a key file");
        assertThatThrownBy(() -> PemSslContexts.create(new TlsOptions(dir.resolve("nope.pem"), null, null)))
                .isInstanceOf(TransportException.class).hasMessageContaining("nope.pem");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> PemSslContexts.create(new TlsOptions(empty, null, null)))
                .isInstanceOf(TransportException.class).hasMessageContaining("empty.pem");
    }

    /** One byte there and back; the socket timeout keeps a stuck handshake from hanging the test. */
    private static int exchange(SSLContext context) throws java.io.IOException {
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write('h');
            out.flush();
            InputStream in = s.getInputStream();
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("the server closed the connection");
            }
            return b;
        }
    }
}
