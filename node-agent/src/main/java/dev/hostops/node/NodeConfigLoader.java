package dev.hostops.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hostops.broker.BrokerUrl;
import dev.hostops.broker.TlsOptions;
import dev.hostops.contracts.Durations;
import dev.hostops.node.policy.internal.FileErrors;
import dev.hostops.contracts.internal.YamlErrors;
import dev.hostops.node.store.NodeStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link NodeConfig} from, in increasing precedence: a YAML file, the environment, and
 * explicit settings (command-line flags). Setting names are the same everywhere:
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>YAML key</th><th>environment</th><th>meaning</th></tr>
 *   <tr><td>broker</td><td>HOSTOPS_BROKER</td><td>mqtt://, mqtts://, amqp://, amqps:// URL</td></tr>
 *   <tr><td>node</td><td>HOSTOPS_NODE_ID</td><td>this node's id</td></tr>
 *   <tr><td>policy</td><td>HOSTOPS_POLICY</td><td>the policy file</td></tr>
 *   <tr><td>dataDir</td><td>HOSTOPS_DATA_DIR</td><td>durable state (default ~/.hostops/node-ID)</td></tr>
 *   <tr><td>maxConcurrency</td><td>HOSTOPS_MAX_CONCURRENCY</td><td>commands at once (4)</td></tr>
 *   <tr><td>queueInMemory</td><td>HOSTOPS_QUEUE_IN_MEMORY</td><td>commands waiting in memory; more wait in the store (1000)</td></tr>
 *   <tr><td>tailKiB</td><td>HOSTOPS_TAIL_KIB</td><td>KiB of each stream's end in a result (4, at most 64)</td></tr>
 *   <tr><td>defaultTimeout / maxTimeout</td><td>HOSTOPS_DEFAULT_TIMEOUT / HOSTOPS_MAX_TIMEOUT</td><td>30m / 6h</td></tr>
 *   <tr><td>heartbeat</td><td>HOSTOPS_HEARTBEAT</td><td>presence refresh (30s)</td></tr>
 *   <tr><td>retention</td><td>HOSTOPS_RETENTION</td><td>dedupe window (30d)</td></tr>
 *   <tr><td>durability</td><td>HOSTOPS_DURABILITY</td><td>full | normal</td></tr>
 *   <tr><td>http</td><td>HOSTOPS_NODE_HTTP</td><td>host:port for /healthz and /metrics</td></tr>
 *   <tr><td>labels</td><td>HOSTOPS_LABELS</td><td>map; env form k=v,k=v</td></tr>
 *   <tr><td>tlsCa / tlsCert / tlsKey</td><td>HOSTOPS_TLS_CA / _CERT / _KEY</td><td>PEM files</td></tr>
 *   <tr><td>audit</td><td>HOSTOPS_AUDIT</td><td>audit log file (default dataDir/audit.jsonl)</td></tr>
 *   <tr><td>drainTimeout</td><td>HOSTOPS_DRAIN_TIMEOUT</td><td>how long a clean stop waits for the broker to take the outbox (5s)</td></tr>
 * </table>
 *
 * <p>A relative path in a file ({@link #PATH_KEYS}) is relative to that file's directory, as for the
 * service, which runs in it; one from the environment or a flag, to the working directory.
 */
public final class NodeConfigLoader {
    static final Set<String> KEYS = Set.of("broker", "node", "policy", "dataDir", "maxConcurrency", "queueInMemory",
            "defaultTimeout", "maxTimeout", "heartbeat", "retention", "durability", "http", "labels", "tlsCa", "tlsCert",
            "tlsKey", "audit", "tailKiB", "drainTimeout");

    /** Settings that name a file or a directory. */
    static final Set<String> PATH_KEYS = Set.of("policy", "dataDir", "audit", "tlsCa", "tlsCert", "tlsKey");

    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();

    /**
     * Reads a YAML file; unknown keys are an error that names them. Relative paths in it are taken
     * relative to the file's directory.
     *
     * @throws IOException the file cannot be read (the message names its whole path and why)
     * @throws IllegalArgumentException it is not valid YAML (where), or an unknown setting
     */
    public NodeConfigLoader file(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String syntax = YamlErrors.syntax(e);
            throw new IllegalArgumentException(file + ": " + (syntax != null ? syntax : e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new IOException("the node config file " + file.toAbsolutePath() + " " + FileErrors.describe(e), e);
        }
        Path base = file.toAbsolutePath().getParent();
        if (root == null || root.isNull()) {
            return this;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": the node config must be a YAML mapping");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException(file + ": unknown setting '" + e.getKey() + "'; known: " + String.join(", ", KEYS.stream().sorted().toList()));
            }
            if (e.getKey().equals("labels")) {
                e.getValue().fields().forEachRemaining(l -> labels.put(l.getKey(), l.getValue().asText()));
            } else if (PATH_KEYS.contains(e.getKey()) && !e.getValue().asText().isBlank()) {
                // Where the service (WorkingDirectory, <workingdirectory>) and a person reading the file look.
                settings.put(e.getKey(), base.resolve(e.getValue().asText()).normalize().toString());
            } else {
                settings.put(e.getKey(), e.getValue().asText());
            }
        }
        return this;
    }

    /** Reads HOSTOPS_* variables from the given environment (usually System.getenv()). */
    public NodeConfigLoader environment(Map<String, String> env) {
        for (String key : KEYS) {
            String value = env.get(envName(key));
            if (value == null || value.isBlank()) {
                continue;
            }
            if (key.equals("labels")) {
                parseLabels(value);
            } else {
                settings.put(key, value);
            }
        }
        return this;
    }

    /** An explicit setting (a command-line flag); null values are ignored. */
    public NodeConfigLoader set(String key, String value) {
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException("unknown setting '" + key + "'");
        }
        if (value != null) {
            if (key.equals("labels")) {
                parseLabels(value);
            } else {
                settings.put(key, value);
            }
        }
        return this;
    }

    public NodeConfigLoader label(String key, String value) {
        labels.put(key, value);
        return this;
    }

    static String envName(String key) {
        return switch (key) {
            case "node" -> "HOSTOPS_NODE_ID";
            case "http" -> "HOSTOPS_NODE_HTTP";
            case "tailKiB" -> "HOSTOPS_TAIL_KIB";
            default -> "HOSTOPS_" + key.replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT);
        };
    }

    private void parseLabels(String text) {
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("labels must be key=value pairs separated by commas, not '" + pair + "'");
            }
            labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
    }

    /** One setting as given so far (file, environment, flags), before any default. */
    public java.util.Optional<String> setting(String key) {
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException("unknown setting '" + key + "'");
        }
        return java.util.Optional.ofNullable(settings.get(key));
    }

    public NodeConfig build() {
        String node = require("node", "--node ID");
        String broker = require("broker", "--broker URL");
        String policy = require("policy", "--policy FILE");
        Path dataDir = settings.containsKey("dataDir")
                ? Path.of(settings.get("dataDir"))
                : Path.of(System.getProperty("user.home"), ".hostops", "node-" + node);
        TlsOptions tls = settings.containsKey("tlsCa") || settings.containsKey("tlsCert")
                ? new TlsOptions(path("tlsCa"), path("tlsCert"), path("tlsKey"))
                : null;
        return new NodeConfig(BrokerUrl.parse(broker), node, Path.of(policy), dataDir,
                integer("maxConcurrency", NodeConfig.DEFAULT_MAX_CONCURRENCY),
                duration("defaultTimeout"), duration("maxTimeout"), duration("heartbeat"), duration("retention"),
                durability(), labels, http(), tls, path("audit"),
                integer("queueInMemory", NodeConfig.DEFAULT_QUEUE_IN_MEMORY),
                integer("tailKiB", NodeConfig.DEFAULT_TAIL_KIB), duration("drainTimeout"));
    }

    private String require(String key, String flag) {
        String v = settings.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + " is not set: give " + flag + ", set " + envName(key)
                    + ", or put '" + key + ":' in the config file");
        }
        return v;
    }

    private Path path(String key) {
        return settings.containsKey(key) ? Path.of(settings.get(key)) : null;
    }

    private int integer(String key, int fallback) {
        String v = settings.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + v + "'");
        }
    }

    private Duration duration(String key) {
        String v = settings.get(key);
        return v == null ? null : Durations.parse(v, key);
    }

    private NodeStore.Durability durability() {
        String v = settings.get("durability");
        if (v == null) {
            return null;
        }
        try {
            return NodeStore.Durability.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("durability must be full or normal, not '" + v + "'");
        }
    }

    private InetSocketAddress http() {
        String v = settings.get("http");
        if (v == null || v.isBlank()) {
            return null;
        }
        int colon = v.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("http must be host:port, e.g. 127.0.0.1:9102, not '" + v + "'");
        }
        try {
            return new InetSocketAddress(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("http port must be a number, not '" + v.substring(colon + 1) + "'");
        }
    }
}
