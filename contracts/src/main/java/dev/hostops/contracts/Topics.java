package dev.hostops.contracts;

import java.util.Optional;

/**
 * Topic names (MQTT) and their routing keys (AMQP), in one place.
 *
 * <p>AMQP uses the topic exchange {@code amq.topic}; the routing key is the topic with {@code /}
 * replaced by {@code .}, the mapping RabbitMQ's own MQTT plugin uses, so MQTT and AMQP clients
 * can share one RabbitMQ. Wildcards map too: {@code +} to {@code *}, {@code #} stays {@code #}.
 */
public final class Topics {
    public static final String PREFIX = "hostops/v1";
    public static final String AMQP_EXCHANGE = "amq.topic";

    /** The kinds of per-node topic. */
    public enum Kind {
        CMD("cmd"), CONTROL("control"), PRESENCE("presence"), STATE("state"),
        LOG("log"), RESULT("result"), APPROVAL("approval");

        private final String segment;

        Kind(String segment) {
            this.segment = segment;
        }

        public String segment() {
            return segment;
        }

        public static Optional<Kind> fromSegment(String segment) {
            for (Kind k : values()) {
                if (k.segment.equals(segment)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    private Topics() {}

    public static String of(String node, Kind kind) {
        return PREFIX + "/node/" + NodeId.require(node, "node") + "/" + kind.segment();
    }

    public static String cmd(String node) { return of(node, Kind.CMD); }
    public static String control(String node) { return of(node, Kind.CONTROL); }
    public static String presence(String node) { return of(node, Kind.PRESENCE); }
    public static String state(String node) { return of(node, Kind.STATE); }
    public static String log(String node) { return of(node, Kind.LOG); }
    public static String result(String node) { return of(node, Kind.RESULT); }
    public static String approval(String node) { return of(node, Kind.APPROVAL); }

    /** The MQTT filter for one kind of topic on every node, e.g. {@code hostops/v1/node/+/result}. */
    public static String allNodes(Kind kind) {
        return PREFIX + "/node/+/" + kind.segment();
    }

    /** The MQTT filter for everything hostops publishes. */
    public static String everything() {
        return PREFIX + "/#";
    }

    /** A parsed per-node topic. */
    public record Parsed(String node, Kind kind) {}

    /** Parses {@code hostops/v1/node/{node}/{kind}}; empty for anything else. */
    public static Optional<Parsed> parse(String topic) {
        String head = PREFIX + "/node/";
        if (topic == null || !topic.startsWith(head)) {
            return Optional.empty();
        }
        String rest = topic.substring(head.length());
        int slash = rest.indexOf('/');
        if (slash < 0 || rest.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        String node = rest.substring(0, slash);
        if (!NodeId.isValid(node)) {
            return Optional.empty();
        }
        return Kind.fromSegment(rest.substring(slash + 1)).map(k -> new Parsed(node, k));
    }

    /** MQTT topic or filter to AMQP routing key or binding key. */
    public static String toRoutingKey(String topicOrFilter) {
        StringBuilder out = new StringBuilder(topicOrFilter.length());
        for (String level : topicOrFilter.split("/", -1)) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(level.equals("+") ? "*" : level);
        }
        return out.toString();
    }

    /**
     * AMQP routing key or binding key to MQTT topic or filter: {@code .} to {@code /}, {@code *} to
     * {@code +}, {@code #} stays. Node ids and kinds never contain dots or {@code *}, so this is exact.
     */
    public static String fromRoutingKey(String routingKey) {
        StringBuilder out = new StringBuilder(routingKey.length());
        for (String word : routingKey.split("\\.", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(word.equals("*") ? "+" : word);
        }
        return out.toString();
    }
}
