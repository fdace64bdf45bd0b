package dev.hostops.broker.bench;

import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.Transport;
import dev.hostops.broker.TransportOptions;
import dev.hostops.broker.Transports;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Connected transports, unique topics and payloads for the measurements. */
final class BenchClients {
    private BenchClients() {}

    static Transport connect(BrokerUrl url, String role, Duration timeout) throws Exception {
        TransportOptions options = TransportOptions.builder(url, "hostops-bench-" + role + "-" + shortId())
                .connectTimeout(timeout)
                .publishTimeout(timeout)
                .build();
        Transport t = Transports.create(options);
        try {
            t.connect().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return t;
        } catch (Exception e) {
            t.close();
            throw e;
        }
    }

    /** A topic no one else uses: the brokers may be shared. */
    static String topic(String name) {
        return "hostops-bench/" + shortId() + "/" + name;
    }

    static byte[] payload(int size, long seq) {
        byte[] b = new byte[size];
        ByteBuffer.wrap(b).putLong(seq);
        return b;
    }

    static long seq(byte[] payload) {
        return ByteBuffer.wrap(payload).getLong();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
