package dev.hostops.broker.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.HdrHistogram.Histogram;

/**
 * The floor: the same payload echoed over a raw TCP connection on loopback (TCP_NODELAY, a
 * thread per side, blocking I/O). No broker can beat it; a publish-to-reply round trip through a
 * broker crosses loopback four times, this crosses it twice.
 */
final class TcpEchoFloor {
    private TcpEchoFloor() {}

    static LatencyStats measure(BenchOptions o) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> echo(server, o.payloadBytes()), "hostops-bench-echo");
            echo.setDaemon(true);
            echo.start();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] buf = new byte[o.payloadBytes()];
                Histogram histogram = LatencyStats.newHistogram();
                for (int i = 0; i < o.warmup() + o.roundTrips(); i++) {
                    byte[] payload = BenchClients.payload(o.payloadBytes(), i);
                    long start = System.nanoTime();
                    out.write(payload);
                    out.flush();
                    in.readFully(buf);
                    long took = System.nanoTime() - start;
                    if (i >= o.warmup()) {
                        histogram.recordValue(took);
                    }
                }
                return LatencyStats.of(histogram);
            }
        }
    }

    private static void echo(ServerSocket server, int size) {
        try (Socket s = server.accept()) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[size];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the client closed: done
        }
    }
}
