package dev.hostops.broker;

import static org.assertj.core.api.Assertions.fail;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import dev.hostops.broker.testing.Requirement;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared RabbitMQ on 127.0.0.1:5672 for the AMQP tests: reachability (skip with a message, or
 * fail when {@code HOSTOPS_REQUIRE_BROKERS=1}), a raw client connection for interop and for looking
 * at queues, and {@code rabbitmqctl} to close one of our connections from the broker side.
 */
final class AmqpTestBroker implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5672;

    private final Connection raw;

    private AmqpTestBroker(Connection raw) {
        this.raw = raw;
    }

    /** Connects to the shared RabbitMQ or skips (fails if brokers are required) when it is not there. */
    static AmqpTestBroker require() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 1000);
        } catch (IOException e) {
            Requirement.missing("RabbitMQ is not reachable on " + HOST + ":" + PORT + " (" + e.getMessage() + ")");
        }
        try {
            ConnectionFactory f = new ConnectionFactory();
            f.setHost(HOST);
            f.setPort(PORT);
            return new AmqpTestBroker(f.newConnection("hostops-test-raw-" + UUID.randomUUID()));
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ accepts TCP on " + PORT + " but not an AMQP connection", e);
        }
    }

    static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static BrokerUrl url() {
        return BrokerUrl.parse("amqp://" + HOST + ":" + PORT);
    }

    static TransportOptions.Builder options(String clientId) {
        return TransportOptions.builder(url(), clientId).reconnect(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    /** A new channel of the raw connection; close it when done. */
    Channel channel() throws IOException {
        return raw.createChannel();
    }

    /** Messages ready in a queue, or -1 when the queue does not exist. */
    long messageCount(String queue) throws IOException {
        try (Channel ch = raw.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException e) {
            return -1; // 404: passive declare closes the channel
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    void deleteQueue(String queue) {
        try (Channel ch = raw.createChannel()) {
            ch.queueDelete(queue);
        } catch (Exception ignored) {
            // already gone
        }
    }

    /**
     * Closes, from the broker side, the connection whose client port is {@code localPort} (ours
     * only: other people share this broker). Skips the test when rabbitmqctl is not usable here.
     */
    static void closeConnectionFromBroker(int localPort) throws Exception {
        String list = rabbitmqctl("list_connections", "pid", "peer_port", "-s");
        for (String line : list.split("\\R")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 2 && cols[1].equals(Integer.toString(localPort))) {
                rabbitmqctl("close_connection", cols[0], "hostops test: closed by the broker");
                return;
            }
        }
        fail("no RabbitMQ connection from client port " + localPort + " in:\n" + list);
    }

    /** The error a passive declare of {@code queue} gets, e.g. NOT_FOUND or RESOURCE_LOCKED; null if none. */
    String passiveDeclareError(String queue) throws IOException {
        try (Channel ch = raw.createChannel()) {
            ch.queueDeclarePassive(queue);
            return null;
        } catch (IOException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return String.valueOf(c.getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    private static String rabbitmqctl(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "rabbitmqctl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("rabbitmqctl is not available here: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            Assumptions.abort("rabbitmqctl " + String.join(" ", args) + " did not work here: " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
