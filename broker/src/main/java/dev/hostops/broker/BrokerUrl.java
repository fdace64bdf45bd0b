package dev.hostops.broker;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a broker is: {@code mqtt://host:1883}, {@code mqtts://host:8883},
 * {@code amqp://user:pass@host:5672/vhost}, {@code amqps://...}. MQTT URLs may carry credentials
 * too. {@link #toString()} never shows the password.
 */
public record BrokerUrl(Scheme scheme, String host, int port, String username, String password, String vhost) {

    public enum Scheme {
        MQTT(1883, false), MQTTS(8883, true), AMQP(5672, false), AMQPS(5671, true);

        private final int defaultPort;
        private final boolean tls;

        Scheme(int defaultPort, boolean tls) {
            this.defaultPort = defaultPort;
            this.tls = tls;
        }

        public int defaultPort() {
            return defaultPort;
        }

        public boolean tls() {
            return tls;
        }

        public boolean isMqtt() {
            return this == MQTT || this == MQTTS;
        }
    }

    public BrokerUrl {
        Objects.requireNonNull(scheme, "scheme must not be null");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("broker URL needs a host");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("broker port must be 1 to 65535, not " + port);
        }
    }

    /** Parses a broker URL; the exception's message says what is wrong and what is accepted. */
    public static BrokerUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("broker URL is empty; use mqtt://host:1883 or amqp://user:pass@host:5672/vhost");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("broker URL '" + redact(text) + "' is not a URL: " + e.getReason());
        }
        String schemeText = uri.getScheme();
        Scheme scheme;
        try {
            scheme = Scheme.valueOf(schemeText == null ? "" : schemeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("broker URL scheme must be mqtt, mqtts, amqp or amqps, not '"
                    + schemeText + "' (in '" + redact(text) + "')");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("broker URL '" + redact(text) + "' has no host");
        }
        int port = uri.getPort() == -1 ? scheme.defaultPort() : uri.getPort();
        String user = null;
        String pass = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            pass = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        String vhost = null;
        String path = uri.getRawPath();
        if (path != null && path.length() > 1) {
            vhost = decode(path.substring(1));
        }
        return new BrokerUrl(scheme, uri.getHost(), port, user, pass, vhost);
    }

    /** The AMQP virtual host: the URL's path, {@code /} when absent. */
    public String virtualHost() {
        return vhost == null || vhost.isEmpty() ? "/" : vhost;
    }

    private String hostForUri() {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    public BrokerUrl withCredentials(String user, String pass) {
        return new BrokerUrl(scheme, host, port, user, pass, vhost);
    }

    /**
     * The URL with its password, for handing to a child process or a config file the caller
     * protects. Everything else (logs, messages) uses {@link #toString()}, which hides it.
     */
    public String toUnredactedString() {
        if (password == null) {
            return toString();
        }
        return toString().replace(":***@", ":" + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8) + "@");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(scheme.name().toLowerCase(Locale.ROOT)).append("://");
        if (username != null) {
            sb.append(username);
            if (password != null) {
                sb.append(":***");
            }
            sb.append('@');
        }
        sb.append(hostForUri()).append(':').append(port);
        if (vhost != null) {
            sb.append('/').append(vhost);
        }
        return sb.toString();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String redact(String text) {
        return text.replaceAll("://([^:/@]*):[^@]*@", "://$1:***@");
    }
}
