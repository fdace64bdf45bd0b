package dev.hostops.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;

/**
 * The CLI's HTTP client for the dispatcher API. Deliberately small (HttpURLConnection, one
 * ObjectMapper) so that a client call starts fast. Errors become {@link ApiException} with a
 * sentence that says what to do.
 */
public final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String token;

    public ApiClient(String baseUrl, String token) {
        this.baseUrl = root(baseUrl);
        this.token = token;
    }

    /**
     * The dispatcher's root, from a URL as people give it: without a trailing slash, and without the
     * API's {@code /v1} (http://host:8080/v1, copied from a curl line, asked for /v1/v1/nodes).
     */
    static String root(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u.endsWith("/v1") ? u.substring(0, u.length() - 3) : u;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public JsonNode get(String path) throws ApiException {
        return call("GET", path, null);
    }

    public JsonNode post(String path, Object body) throws ApiException {
        return call("POST", path, body);
    }

    private JsonNode call(String method, String path, Object body) throws ApiException {
        HttpURLConnection c = open(path);
        try {
            c.setRequestMethod(method);
            c.setRequestProperty("Accept", "application/json");
            if (body != null) {
                byte[] bytes = JSON.writeValueAsBytes(body);
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                c.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = c.getResponseCode();
            if (status >= 400) {
                throw failure(status, c.getErrorStream(), path);
            }
            try (InputStream in = c.getInputStream()) {
                return JSON.readTree(in);
            }
        } catch (ConnectException e) {
            throw unreachable(e);
        } catch (IOException e) {
            throw new ApiException("UNREACHABLE", "talking to the dispatcher at " + baseUrl + " failed: " + e.getMessage());
        } finally {
            c.disconnect();
        }
    }

    /**
     * Reads a server-sent-event stream, handing each event to {@code onEvent(name, data)} until it
     * returns false or the stream ends.
     */
    public void stream(String path, BiPredicate<String, JsonNode> onEvent) throws ApiException {
        stream(path, new AtomicReference<>(), onEvent);
    }

    /**
     * {@link #stream(String, BiPredicate)} that can be resumed: {@code lastId} is sent as
     * {@code Last-Event-ID} when it holds one, and is set to each event's id as it is handed over,
     * so a caller whose stream broke opens it again with the same holder and gets what it missed
     * (or a {@code reset} event when the server cannot tell).
     */
    public void stream(String path, AtomicReference<String> lastId, BiPredicate<String, JsonNode> onEvent) throws ApiException {
        HttpURLConnection c = open(path);
        try {
            c.setRequestProperty("Accept", "text/event-stream");
            if (lastId.get() != null) {
                c.setRequestProperty("Last-Event-ID", lastId.get());
            }
            c.setReadTimeout(0);
            int status = c.getResponseCode();
            if (status >= 400) {
                throw failure(status, c.getErrorStream(), path);
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
                String event = "message";
                String id = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            boolean more = onEvent.test(event, JSON.readTree(data.toString()));
                            if (id != null) {
                                lastId.set(id); // handed over: a resumed stream starts after it
                            }
                            if (!more) {
                                return;
                            }
                        }
                        event = "message";
                        id = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
            }
        } catch (ConnectException e) {
            throw unreachable(e);
        } catch (IOException e) {
            throw new ApiException("UNREACHABLE", "the event stream from " + baseUrl + " broke: " + e.getMessage());
        } finally {
            c.disconnect();
        }
    }

    private HttpURLConnection open(String path) throws ApiException {
        URL url;
        try {
            url = URI.create(baseUrl + path).toURL();
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw new ApiException("BAD_URL", "'" + baseUrl + "' is not a usable dispatcher URL; set HOSTOPS_URL or --url, e.g. http://127.0.0.1:8080");
        }
        try {
            HttpURLConnection c = (HttpURLConnection) url.openConnection();
            c.setConnectTimeout(5000);
            c.setReadTimeout(0);
            if (token != null && !token.isBlank()) {
                c.setRequestProperty("Authorization", "Bearer " + token);
            }
            return c;
        } catch (IOException e) {
            throw new ApiException("UNREACHABLE", "cannot open " + baseUrl + ": " + e.getMessage());
        }
    }

    private ApiException unreachable(Exception e) {
        return new ApiException("UNREACHABLE", "cannot reach the dispatcher at " + baseUrl
                + " (" + e.getMessage() + "); is it running? Set HOSTOPS_URL or --url.");
    }

    private ApiException failure(int status, InputStream errorBody, String path) {
        String code = "HTTP_" + status;
        String generic = "the dispatcher answered " + status + " for " + path;
        String message = generic;
        if (errorBody != null) {
            try (errorBody) {
                JsonNode n = JSON.readTree(errorBody);
                if (n != null && n.hasNonNull("code")) {
                    code = n.get("code").asText();
                    message = n.path("message").asText(message);
                } else if (n != null && n.hasNonNull("broker")) {
                    code = "NOT_READY"; // /readyz: what is not ready, in its own words
                    message = "the dispatcher is not ready: broker " + n.get("broker").asText()
                            + (n.hasNonNull("brokerError") ? " (" + n.get("brokerError").asText() + ")" : "")
                            + ("ok".equals(n.path("ledger").asText("ok")) ? "" : ", ledger: " + n.path("ledger").asText());
                }
            } catch (IOException ignored) {
                // keep the generic message
            }
        }
        if (status == 401) {
            message = message + " (set HOSTOPS_TOKEN or --token)";
        } else if (status == 403 && message.equals(generic)) {
            // The dispatcher's own 403 names the role or the node that is missing; this is for an answer without it.
            message = message + " (the token lacks the role this needs)";
        }
        return new ApiException(code, message, status);
    }
}
