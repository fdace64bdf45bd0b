package dev.hostops.broker.internal.mqtt;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sockets one connection attempt opened. Kept so a connection can be cut abruptly (a reset,
 * no MQTT DISCONNECT): the broker then treats it as a crash and publishes the last will.
 */
final class LiveSockets {
    private final CopyOnWriteArrayList<Socket> sockets = new CopyOnWriteArrayList<>();

    /** Sets TCP_NODELAY (a command and its reply are small packets: Nagle would delay each by up to 40 ms) and remembers the socket. */
    <S extends Socket> S track(S socket) throws SocketException {
        socket.setTcpNoDelay(true);
        sockets.add(socket);
        return socket;
    }

    /** Resets every socket: SO_LINGER 0 makes close() send RST instead of a graceful FIN. */
    void cutAll() {
        for (Socket socket : sockets) {
            try {
                socket.setSoLinger(true, 0);
            } catch (SocketException ignored) {
                // already closed: nothing to cut
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all we want; an error here means it is already gone
            }
        }
        sockets.clear();
    }
}
