package dev.hostops.dispatcher.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * HTTP/1.1 over a plain socket, for what the JDK client will not send: conflicting
 * Content-Length and Transfer-Encoding, bare line feeds, header names with odd characters,
 * pipelined requests. Sends {@code Connection: close} requests and reads every response until
 * the server closes, all within {@link Exchange#LIMIT}.
 */
final class RawHttp {
    private RawHttp() {}

    static byte[] request(String method, String path, List<Map.Entry<String, String>> headers, byte[] body) {
        StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (Map.Entry<String, String> h : headers) {
            b.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (body != null) {
            b.append("Content-Length: ").append(body.length).append("\r\n");
        }
        b.append("Connection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(b.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /** Sends the bytes and returns the first response. */
    static Outcome exchange(int port, byte[] bytes) throws Exception {
        List<Outcome> all = exchangeAll(port, bytes);
        if (all.isEmpty()) {
            throw new IOException("the server closed the connection without an answer");
        }
        return all.get(0);
    }

    /** Sends the bytes and returns every response the server wrote before it closed the connection. */
    static List<Outcome> exchangeAll(int port, byte[] bytes) throws Exception {
        long deadline = System.nanoTime() + Exchange.LIMIT.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) Exchange.LIMIT.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException closedEarly) {
                // the server may refuse and close before reading everything (a huge header); read its answer
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[8192];
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new TimeoutException("the connection stayed open past " + Exchange.LIMIT + " after "
                            + received.size() + " bytes: " + head(received.toByteArray()));
                }
                socket.setSoTimeout((int) left);
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException reset) {
                    break;
                }
                if (n < 0) {
                    break;
                }
                received.write(buf, 0, n);
                if (isStreamStart(received.toByteArray())) {
                    break;   // an event stream never ends by itself; its headers are the answer
                }
            }
            return parse(received.toByteArray());
        }
    }

    private static boolean isStreamStart(byte[] b) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        int end = s.indexOf("\r\n\r\n");
        return end >= 0 && s.substring(0, end).toLowerCase(Locale.ROOT).contains("text/event-stream")
                && s.indexOf("HTTP/1.1", 1) < 0;
    }

    private static String head(byte[] b) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        return s.length() > 200 ? s.substring(0, 200) : s;
    }

    /** Splits a byte stream into responses (Content-Length or chunked bodies). */
    static List<Outcome> parse(byte[] data) {
        List<Outcome> out = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            int end = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
            if (end < 0) {
                throw new IllegalStateException("a response without the end of its headers: " + head(slice(data, pos, data.length)));
            }
            String[] lines = new String(data, pos, end - pos, StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            String ct = "";
            int length = -1;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                String l = lines[i].toLowerCase(Locale.ROOT);
                if (l.startsWith("content-type:")) {
                    ct = lines[i].substring(13).trim();
                } else if (l.startsWith("content-length:")) {
                    length = Integer.parseInt(l.substring(15).trim());
                } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                    chunked = true;
                }
            }
            pos = end + 4;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                while (pos < data.length) {
                    int lineEnd = indexOf(data, "\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
                    int size = Integer.parseInt(new String(data, pos, lineEnd - pos, StandardCharsets.ISO_8859_1).trim(), 16);
                    pos = lineEnd + 2;
                    if (size == 0) {
                        pos = Math.min(data.length, pos + 2);
                        break;
                    }
                    body.write(data, pos, Math.min(size, data.length - pos));
                    pos += size + 2;
                }
            } else if (length >= 0) {
                body.write(data, pos, Math.min(length, data.length - pos));
                pos += length;
            } else {
                body.write(data, pos, data.length - pos);
                pos = data.length;
            }
            out.add(new Outcome(status, ct, body.toByteArray(), ct.startsWith("text/event-stream")));
        }
        return out;
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static int indexOf(byte[] data, byte[] what, int from) {
        outer:
        for (int i = from; i <= data.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
