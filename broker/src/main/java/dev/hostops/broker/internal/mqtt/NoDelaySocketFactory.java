package dev.hostops.broker.internal.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/** Plain TCP sockets for Paho with TCP_NODELAY, tracked in {@link LiveSockets}. */
final class NoDelaySocketFactory extends SocketFactory {
    private final SocketFactory delegate = SocketFactory.getDefault();
    private final LiveSockets live;

    NoDelaySocketFactory(LiveSockets live) {
        this.live = live;
    }

    @Override
    public Socket createSocket() throws IOException {
        // Paho calls this one, then connect() with its own timeout.
        return live.track(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return live.track(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return live.track(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return live.track(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return live.track(delegate.createSocket(address, port, localAddress, localPort));
    }
}
