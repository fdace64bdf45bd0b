package dev.hostops.broker.internal.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS sockets for Paho with TCP_NODELAY, tracked in {@link LiveSockets}. Paho insists on an
 * {@link SSLSocketFactory} for {@code ssl://} URIs, hence a subclass rather than a wrapper.
 */
final class NoDelaySslSocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final LiveSockets live;

    NoDelaySslSocketFactory(SSLSocketFactory delegate, LiveSockets live) {
        this.delegate = delegate;
        this.live = live;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        // Paho calls this one (an unconnected SSLSocket), then connect() and startHandshake().
        return live.track(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        live.track(socket);
        return live.track(delegate.createSocket(socket, host, port, autoClose));
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
