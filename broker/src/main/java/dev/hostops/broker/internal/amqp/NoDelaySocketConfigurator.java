package dev.hostops.broker.internal.amqp;

import com.rabbitmq.client.SocketConfigurator;
import java.io.IOException;
import java.net.Socket;

/**
 * Sets TCP_NODELAY on the connection's socket and keeps the socket, so a fault drill can cut it
 * the way a crash or a network failure would. The client's default configurator sets
 * TCP_NODELAY too; it is explicit here because the round-trip latency depends on it (Nagle's
 * algorithm plus delayed ACKs add up to 40 ms per small message).
 */
final class NoDelaySocketConfigurator implements SocketConfigurator {
    private volatile Socket socket;

    @Override
    public void configure(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        socket = s;
    }

    /** Closes the socket abruptly (RST, no AMQP close handshake); the client sees an I/O error. */
    void cut() {
        Socket s = socket;
        if (s == null) {
            return;
        }
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed: nothing to cut
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is what we wanted
        }
    }

    /** The local port of the connection's socket, which names the connection on the broker side; -1 if none. */
    int localPort() {
        Socket s = socket;
        return s == null ? -1 : s.getLocalPort();
    }
}
