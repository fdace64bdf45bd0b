package dev.hostops.dispatcher;

import dev.hostops.contracts.Durations;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hostops.broker.BrokerUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the dispatcher needs to run, validated when built.
 *
 * <p>Sources, weakest first: the named defaults below, a YAML file ({@link Builder#yaml(Path)}),
 * the environment ({@link Builder#env(Map)}, variables prefixed {@code HOSTOPS_}), then explicit
 * builder calls (command-line flags). Every setting has one YAML key and one variable, listed in
 * {@link Key}.
 *
 * @param broker        the broker URL ({@code mqtt://...} or {@code amqp://...})
 * @param clientId      the broker client id; with a persistent session, so nothing is missed while down
 * @param dataDir       where the default SQLite ledger lives
 * @param dbUrl         JDBC URL of the ledger; defaults to SQLite in {@code dataDir}
 * @param dbUser        database user (PostgreSQL), or null (then the URL may carry it)
 * @param dbPassword    database password, or null; never shown by {@link #toString()}
 * @param httpHost      interface the HTTP API binds to (loopback by default: exposing it is a choice)
 * @param httpPort      HTTP port; 0 picks a free one
 * @param tokensFile    the bearer-token file; null means no token is valid (only health endpoints answer)
 * @param defaultExpiry a command's delivery deadline when the caller gives none
 * @param lostGrace     how long after its node goes offline a RUNNING command is declared LOST
 * @param expiryGrace   a QUEUED command is declared EXPIRED this long after its expiresAt (node clocks drift)
 * @param sweepInterval how often deadlines are checked and queued commands retried
 * @param maxWait       the longest {@code wait=} a caller may ask for
 * @param maxBodyBytes  the largest HTTP request body accepted (413 above)
 * @param signingKey    Ed25519 private key (PKCS#8 PEM) that signs every exec, cancel and approval decision
 *                      published to nodes (docs/SIGNING.md); null publishes them unsigned
 * @param audit         the hash-chained audit log of who submitted, approved and cancelled what
 *                      (docs/SECURITY.md); default {@code dataDir/audit.jsonl}
 * @param retention     how long the ledger keeps a finished command (its states, result, log chunks,
 *                      approval and anomalies), counted from when it was recorded
 */
public record DispatcherConfig(
        BrokerUrl broker,
        String clientId,
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String httpHost,
        int httpPort,
        Path tokensFile,
        Duration defaultExpiry,
        Duration lostGrace,
        Duration expiryGrace,
        Duration sweepInterval,
        Duration maxWait,
        int maxBodyBytes,
        Path signingKey,
        Path audit,
        Duration retention) {

    public static final String DEFAULT_BROKER = "mqtt://127.0.0.1:1883";
    public static final String DEFAULT_CLIENT_ID = "hostops-dispatcher";
    public static final Path DEFAULT_DATA_DIR = Path.of(System.getProperty("user.home"), ".hostops", "dispatcher");
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(10);
    public static final Duration DEFAULT_LOST_GRACE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_EXPIRY_GRACE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofHours(1);
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final String ENV_PREFIX = "HOSTOPS_";
    public static final String DEFAULT_AUDIT_FILE = "audit.jsonl";
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    public DispatcherConfig {
        Objects.requireNonNull(broker, "broker must not be null");
        if (clientId == null || !clientId.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new IllegalArgumentException("clientId must match [A-Za-z0-9_.-]{1,128}, not '" + clientId + "'");
        }
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        if (dbUrl == null || dbUrl.isBlank()) {
            dbUrl = "jdbc:sqlite:" + dataDir.resolve("dispatcher.db");
        }
        if (!dbUrl.startsWith("jdbc:sqlite:") && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("db must be a jdbc:sqlite: or jdbc:postgresql: URL, not '" + redactDb(dbUrl) + "'");
        }
        if (httpHost == null || httpHost.isBlank()) {
            throw new IllegalArgumentException("http host must not be empty");
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("http port must be 0 to 65535, not " + httpPort);
        }
        positive(defaultExpiry, "defaultExpiry");
        positive(lostGrace, "lostGrace");
        if (expiryGrace == null || expiryGrace.isNegative()) {
            throw new IllegalArgumentException("expiryGrace must be zero or a positive duration, not " + expiryGrace);
        }
        positive(sweepInterval, "sweepInterval");
        positive(maxWait, "maxWait");
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024, not " + maxBodyBytes);
        }
        audit = audit == null ? dataDir.resolve(DEFAULT_AUDIT_FILE) : audit;
        retention = retention == null ? DEFAULT_RETENTION : retention;
        positive(retention, "retention");
    }

    /** Without an explicit audit file ({@code dataDir/audit.jsonl}) and with the default retention. */
    public DispatcherConfig(BrokerUrl broker, String clientId, Path dataDir, String dbUrl, String dbUser, String dbPassword,
                            String httpHost, int httpPort, Path tokensFile, Duration defaultExpiry, Duration lostGrace,
                            Duration expiryGrace, Duration sweepInterval, Duration maxWait, int maxBodyBytes, Path signingKey) {
        this(broker, clientId, dataDir, dbUrl, dbUser, dbPassword, httpHost, httpPort, tokensFile, defaultExpiry, lostGrace,
                expiryGrace, sweepInterval, maxWait, maxBodyBytes, signingKey, null, null);
    }

    private static void positive(Duration d, String field) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be a positive duration, not " + d);
        }
    }

    /** The JDBC URL with any password replaced, for logs and errors. */
    public static String redactDb(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("://([^:/@]*):[^@]*@", "://$1:***@");
    }

    /**
     * Like the generated one, but never shows a database password, and writes durations as the
     * docs and the settings do ({@code 30d}, {@code 10m}), not as ISO-8601 ({@code PT720H}).
     */
    @Override
    public String toString() {
        return "DispatcherConfig[broker=" + broker + ", clientId=" + clientId + ", dataDir=" + dataDir
                + ", dbUrl=" + redactDb(dbUrl) + ", dbUser=" + dbUser + ", dbPassword=" + (dbPassword == null ? "none" : "***")
                + ", http=" + httpHost + ":" + httpPort + ", tokensFile=" + tokensFile
                + ", defaultExpiry=" + Durations.format(defaultExpiry) + ", lostGrace=" + Durations.format(lostGrace)
                + ", expiryGrace=" + Durations.format(expiryGrace) + ", sweepInterval=" + Durations.format(sweepInterval)
                + ", maxWait=" + Durations.format(maxWait) + ", maxBodyBytes=" + maxBodyBytes + ", signingKey=" + signingKey
                + ", audit=" + audit + ", retention=" + Durations.format(retention) + "]";
    }

    /** The built-in defaults. */
    public static DispatcherConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every setting with its YAML key and environment variable. */
    public enum Key {
        BROKER("broker"),
        CLIENT_ID("clientId"),
        DATA_DIR("dataDir"),
        DB("db"),
        DB_USER("dbUser"),
        DB_PASSWORD("dbPassword"),
        HTTP("http"),
        TOKENS("tokens"),
        DEFAULT_EXPIRY("defaultExpiry"),
        LOST_GRACE("lostGrace"),
        EXPIRY_GRACE("expiryGrace"),
        SWEEP_INTERVAL("sweepInterval"),
        MAX_WAIT("maxWait"),
        MAX_BODY_BYTES("maxBodyBytes"),
        SIGNING_KEY("signingKey"),
        AUDIT("audit"),
        RETENTION("retention");

        private final String yaml;

        Key(String yaml) {
            this.yaml = yaml;
        }

        public String yamlKey() {
            return yaml;
        }

        public String envVar() {
            return ENV_PREFIX + name();
        }

        static Key ofYaml(String key) {
            for (Key k : values()) {
                if (k.yaml.equals(key)) {
                    return k;
                }
            }
            StringBuilder known = new StringBuilder();
            for (Key k : values()) {
                known.append(known.length() == 0 ? "" : ", ").append(k.yaml);
            }
            throw new IllegalArgumentException("unknown setting '" + key + "'; known: " + known);
        }
    }

    /** Collects settings as text from any source; {@link #build()} parses and validates them. */
    public static final class Builder {
        private final Map<Key, String> values = new java.util.EnumMap<>(Key.class);

        private Builder() {}

        /** Sets one setting from its text form (as in YAML or the environment). */
        public Builder set(Key key, String text) {
            if (text != null) {
                values.put(key, text.trim());
            }
            return this;
        }

        public Builder broker(String url) { return set(Key.BROKER, url); }

        /**
         * The broker as a parsed URL, credentials included. (Do not pass {@code url.toString()}:
         * it hides the password.)
         */
        public Builder broker(BrokerUrl url) {
            String auth = url.username() == null ? ""
                    : encode(url.username()) + (url.password() == null ? "" : ":" + encode(url.password())) + "@";
            String host = url.host().contains(":") && !url.host().startsWith("[") ? "[" + url.host() + "]" : url.host();
            return set(Key.BROKER, url.scheme().name().toLowerCase(java.util.Locale.ROOT) + "://" + auth + host + ":" + url.port()
                    + (url.vhost() == null ? "" : "/" + encode(url.vhost())));
        }

        private static String encode(String s) {
            return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        }
        public Builder clientId(String id) { return set(Key.CLIENT_ID, id); }
        public Builder dataDir(Path dir) { return set(Key.DATA_DIR, dir == null ? null : dir.toString()); }
        public Builder db(String jdbcUrl) { return set(Key.DB, jdbcUrl); }
        public Builder dbUser(String user) { return set(Key.DB_USER, user); }
        public Builder dbPassword(String password) { return set(Key.DB_PASSWORD, password); }
        public Builder http(String hostPort) { return set(Key.HTTP, hostPort); }
        public Builder tokens(Path file) { return set(Key.TOKENS, file == null ? null : file.toString()); }
        public Builder defaultExpiry(Duration d) { return set(Key.DEFAULT_EXPIRY, d == null ? null : d.toString()); }
        public Builder lostGrace(Duration d) { return set(Key.LOST_GRACE, d == null ? null : d.toString()); }
        public Builder expiryGrace(Duration d) { return set(Key.EXPIRY_GRACE, d == null ? null : d.toString()); }
        public Builder sweepInterval(Duration d) { return set(Key.SWEEP_INTERVAL, d == null ? null : d.toString()); }
        public Builder maxWait(Duration d) { return set(Key.MAX_WAIT, d == null ? null : d.toString()); }
        public Builder maxBodyBytes(int n) { return set(Key.MAX_BODY_BYTES, Integer.toString(n)); }
        public Builder signingKey(Path file) { return set(Key.SIGNING_KEY, file == null ? null : file.toString()); }
        public Builder audit(Path file) { return set(Key.AUDIT, file == null ? null : file.toString()); }
        public Builder retention(Duration d) { return set(Key.RETENTION, d == null ? null : d.toString()); }

        /** Reads a YAML mapping of the {@link Key#yamlKey() keys}; an unknown key is an error. */
        public Builder yaml(Path file) {
            JsonNode root;
            try {
                root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new IllegalArgumentException(dev.hostops.dispatcher.internal.ConfigFileErrors.describe("the config file", file, e), e);
            }
            if (root == null || root.isMissingNode() || root.isNull()) {
                return this;
            }
            if (!root.isObject()) {
                throw new IllegalArgumentException("config file " + file + " must be a YAML mapping of settings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Key key;
                try {
                    key = Key.ofYaml(e.getKey());
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("config file " + file + ": " + ex.getMessage());
                }
                if (!e.getValue().isValueNode()) {
                    throw new IllegalArgumentException("config file " + file + ": " + e.getKey() + " must be a single value");
                }
                String value = e.getValue().isNull() ? null : e.getValue().asText();
                set(key, value != null && PATHS.contains(key) ? relativeTo(file, value) : value);
            }
            return this;
        }

        /** Settings that name a file or directory: relative in a config file, they are relative to that file. */
        private static final java.util.Set<Key> PATHS = java.util.EnumSet.of(Key.DATA_DIR, Key.TOKENS, Key.SIGNING_KEY, Key.AUDIT);

        /**
         * A path as a service reads it: against the config file's directory (a unit's working
         * directory is not the shell's), as node.yaml's paths are. Flags and variables stay as typed.
         */
        private static String relativeTo(Path file, String value) {
            Path p = Path.of(value.trim());
            return p.isAbsolute() ? value : file.toAbsolutePath().getParent().resolve(p).normalize().toString();
        }

        /** Reads {@code HOSTOPS_<KEY>} variables, e.g. {@code HOSTOPS_BROKER}, {@code HOSTOPS_LOST_GRACE}. */
        public Builder env(Map<String, String> env) {
            for (Key k : Key.values()) {
                String v = env.get(k.envVar());
                if (v != null && !v.isBlank()) {
                    set(k, v);
                }
            }
            return this;
        }

        public DispatcherConfig build() {
            BrokerUrl broker = BrokerUrl.parse(values.getOrDefault(Key.BROKER, DEFAULT_BROKER));
            String clientId = values.getOrDefault(Key.CLIENT_ID, DEFAULT_CLIENT_ID);
            Path dataDir = values.containsKey(Key.DATA_DIR) ? Path.of(values.get(Key.DATA_DIR)) : DEFAULT_DATA_DIR;
            String host = DEFAULT_HTTP_HOST;
            int port = DEFAULT_HTTP_PORT;
            if (values.containsKey(Key.HTTP)) {
                String hp = values.get(Key.HTTP);
                int colon = hp.lastIndexOf(':');
                if (colon <= 0 || colon == hp.length() - 1) {
                    throw new IllegalArgumentException("http must be HOST:PORT such as 127.0.0.1:8080, not '" + hp + "'");
                }
                host = hp.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                try {
                    port = Integer.parseInt(hp.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("http port must be a number, not '" + hp.substring(colon + 1) + "'");
                }
            }
            Path tokens = values.containsKey(Key.TOKENS) ? Path.of(values.get(Key.TOKENS)) : null;
            int maxBody = DEFAULT_MAX_BODY_BYTES;
            if (values.containsKey(Key.MAX_BODY_BYTES)) {
                try {
                    maxBody = Integer.parseInt(values.get(Key.MAX_BODY_BYTES));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("maxBodyBytes must be a whole number, not '" + values.get(Key.MAX_BODY_BYTES) + "'");
                }
            }
            return new DispatcherConfig(broker, clientId, dataDir, values.get(Key.DB), values.get(Key.DB_USER),
                    values.get(Key.DB_PASSWORD), host, port, tokens,
                    duration(Key.DEFAULT_EXPIRY, DEFAULT_EXPIRY),
                    duration(Key.LOST_GRACE, DEFAULT_LOST_GRACE),
                    duration(Key.EXPIRY_GRACE, DEFAULT_EXPIRY_GRACE),
                    duration(Key.SWEEP_INTERVAL, DEFAULT_SWEEP_INTERVAL),
                    duration(Key.MAX_WAIT, DEFAULT_MAX_WAIT),
                    maxBody,
                    values.containsKey(Key.SIGNING_KEY) ? Path.of(values.get(Key.SIGNING_KEY)) : null,
                    values.containsKey(Key.AUDIT) ? Path.of(values.get(Key.AUDIT)) : null,
                    duration(Key.RETENTION, DEFAULT_RETENTION));
        }

        private Duration duration(Key key, Duration fallback) {
            String v = values.get(key);
            return v == null ? fallback : Durations.parse(v, key.yamlKey());
        }
    }
}
