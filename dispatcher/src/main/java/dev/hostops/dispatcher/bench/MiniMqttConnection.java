package dev.hostops.dispatcher.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;

/**
 * The smallest MQTT 3.1.1 client a simulated node needs, on a Vert.x socket: CONNECT (clean
 * session, no keep-alive), SUBSCRIBE, QoS 1 PUBLISH both ways, PUBACK. Thousands of these share
 * one or two event-loop threads, where a project transport (HiveMQ client) costs three threads
 * each; that is the only reason it exists. Benchmarks only: no reconnect, no TLS, no QoS 2.
 *
 * <p>Every callback runs on the connection's event loop.
 */
final class MiniMqttConnection {

    /** What arrives on a subscription. */
    interface Inbound {
        void onPublish(MiniMqttConnection connection, String topic, byte[] payload);
    }

    private final NetSocket socket;
    private final Inbound inbound;
    private Buffer pending = Buffer.buffer();
    private Promise<Void> connack;
    private Promise<Void> suback;
    private int nextPacketId = 1;

    private MiniMqttConnection(NetSocket socket, Inbound inbound) {
        this.socket = socket;
        this.inbound = inbound;
        socket.handler(this::onBytes);
    }

    /** Connects and sends CONNECT; completes on CONNACK with return code 0. */
    static Future<MiniMqttConnection> connect(NetClient client, String host, int port, String clientId, Inbound inbound) {
        return client.connect(port, host).compose(socket -> {
            MiniMqttConnection c = new MiniMqttConnection(socket, inbound);
            c.connack = Promise.promise();
            byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
            Buffer body = Buffer.buffer()
                    .appendShort((short) 4).appendString("MQTT")
                    .appendByte((byte) 4)        // protocol level 3.1.1
                    .appendByte((byte) 0x02)     // clean session
                    .appendShort((short) 0)      // no keep-alive: the bench ends long before it would matter
                    .appendShort((short) id.length).appendBytes(id);
            socket.write(packet(0x10, body));
            return c.connack.future().map(v -> c);
        });
    }

    /** Subscribes with QoS 1; completes on SUBACK. */
    Future<Void> subscribe(String topic) {
        suback = Promise.promise();
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        socket.write(packet(0x82, Buffer.buffer().appendShort((short) packetId()).appendShort((short) t.length).appendBytes(t)
                .appendByte((byte) 1)));
        return suback.future();
    }

    /** Publishes with QoS 1 (the PUBACK is read and dropped: the bench checks results in the ledger). */
    void publish(String topic, byte[] payload, boolean retain) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        Buffer body = Buffer.buffer(2 + t.length + 2 + payload.length)
                .appendShort((short) t.length).appendBytes(t).appendShort((short) packetId()).appendBytes(payload);
        socket.write(packet(0x32 | (retain ? 1 : 0), body));
    }

    Future<Void> close() {
        socket.write(Buffer.buffer(new byte[] {(byte) 0xE0, 0}));
        return socket.close();
    }

    private int packetId() {
        int id = nextPacketId;
        nextPacketId = id == 0xFFFF ? 1 : id + 1;
        return id;
    }

    private static Buffer packet(int header, Buffer body) {
        Buffer out = Buffer.buffer(body.length() + 5).appendByte((byte) header);
        int len = body.length();
        do {
            int digit = len % 128;
            len /= 128;
            out.appendByte((byte) (len > 0 ? digit | 0x80 : digit));
        } while (len > 0);
        return out.appendBuffer(body);
    }

    private void onBytes(Buffer bytes) {
        pending = pending.length() == 0 ? bytes : pending.appendBuffer(bytes);
        int pos = 0;
        while (true) {
            if (pending.length() - pos < 2) {
                break;
            }
            int header = pending.getUnsignedByte(pos);
            int len = 0;
            int mult = 1;
            int i = pos + 1;
            boolean complete = false;
            while (i < pending.length()) {
                int b = pending.getUnsignedByte(i++);
                len += (b & 0x7F) * mult;
                mult *= 128;
                if ((b & 0x80) == 0) {
                    complete = true;
                    break;
                }
            }
            if (!complete || pending.length() - i < len) {
                break;
            }
            handle(header, pending.slice(i, i + len));
            pos = i + len;
        }
        pending = pos == pending.length() ? Buffer.buffer() : pending.getBuffer(pos, pending.length());
    }

    private void handle(int header, Buffer body) {
        switch (header >> 4) {
            case 2 -> { // CONNACK
                if (body.getByte(1) == 0) {
                    connack.tryComplete();
                } else {
                    connack.tryFail("the broker refused the connection, return code " + body.getByte(1));
                }
            }
            case 9 -> { // SUBACK
                if (suback != null) {
                    if ((body.getUnsignedByte(2) & 0x80) != 0) {
                        suback.tryFail("the broker refused the subscription");
                    } else {
                        suback.tryComplete();
                    }
                }
            }
            case 3 -> { // PUBLISH
                int qos = (header >> 1) & 3;
                int tlen = body.getUnsignedShort(0);
                String topic = body.getString(2, 2 + tlen, "UTF-8");
                int at = 2 + tlen;
                if (qos > 0) {
                    int pid = body.getUnsignedShort(at);
                    at += 2;
                    socket.write(Buffer.buffer(4).appendByte((byte) 0x40).appendByte((byte) 2).appendShort((short) pid));
                }
                inbound.onPublish(this, topic, body.getBytes(at, body.length()));
            }
            default -> { } // PUBACK of our own publishes, PINGRESP: nothing to do
        }
    }
}
