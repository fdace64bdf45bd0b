package dev.hostops.dispatcher.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.CommandLine;
import dev.hostops.contracts.NodeId;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.Durations;
import dev.hostops.dispatcher.command.SubmitLimits;
import dev.hostops.dispatcher.error.ApiError;
import dev.hostops.dispatcher.error.DispatcherException;
import dev.hostops.dispatcher.fanout.FanOutRequest;
import dev.hostops.dispatcher.fanout.Limit;
import dev.hostops.dispatcher.fanout.Selector;
import dev.hostops.dispatcher.internal.Ids;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code POST /v1/commands} body. Accepts the hostops form ({@code node} or {@code nodes}
 * or {@code selector}, {@code argv} or {@code command}, {@code timeoutMs}, {@code expiresAt}, ...)
 * and the OpenClaw exec-tool form ({@code command}, {@code host: "node"}, {@code node},
 * {@code security}, {@code ask}, {@code workdir}, {@code timeout} in seconds). Unknown fields are
 * ignored, as on the wire. Every error names its field.
 */
final class SubmitParser {
    private SubmitParser() {}

    static SubmitBody parse(byte[] body, String principal, Instant now) {
        JsonNode root;
        try {
            root = Views.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new DispatcherException(ApiError.MALFORMED_BODY, Views.notJson(e));
        }
        if (root == null || !root.isObject()) {
            throw new DispatcherException(ApiError.MALFORMED_BODY, "the body must be a JSON object");
        }
        String host = text(root, "host");
        if (host != null && !host.equals("node")) {
            throw DispatcherException.invalid("host must be 'node' (hostops runs commands on node hosts), not '" + host + "'");
        }
        String id = text(root, "id");
        if (id == null) {
            id = Ids.newId();
        }
        String node = text(root, "node");
        List<String> nodes = strings(root, "nodes");
        Selector selector = selector(root.get("selector"));
        int targetForms = (node != null ? 1 : 0) + (nodes != null ? 1 : 0) + (selector != null ? 1 : 0);
        if (targetForms == 0) {
            throw new DispatcherException(ApiError.MISSING_FIELD, "node is required (or nodes, or selector)");
        }
        if (targetForms > 1) {
            throw DispatcherException.invalid("node, nodes and selector are exclusive: send one");
        }
        if (node != null && !NodeId.isValid(node)) {
            throw DispatcherException.invalid("node must match [A-Za-z0-9_-]{1,64}, not '" + node + "'");
        }
        if (nodes != null) {
            if (nodes.isEmpty()) {
                throw DispatcherException.invalid("nodes must not be empty");
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (!NodeId.isValid(nodes.get(i))) {
                    throw DispatcherException.invalid("nodes[" + i + "] must match [A-Za-z0-9_-]{1,64}, not '" + nodes.get(i) + "'");
                }
            }
        }
        List<String> argv = strings(root, "argv");
        String command = text(root, "command");
        if (argv == null && command == null) {
            throw new DispatcherException(ApiError.MISSING_FIELD, "argv is required (or a command string)");
        }
        if (command != null) {
            try {
                if (CommandLine.split(command).isEmpty()) {
                    throw DispatcherException.invalid("command must not be blank");
                }
            } catch (CommandLine.ShellSyntaxException e) {
                throw new DispatcherException(ApiError.SHELL_SYNTAX, "command: " + e.getMessage());
            }
        }
        Long timeoutMs = positiveLong(root, "timeoutMs");
        Long timeoutSeconds = positiveLong(root, "timeout");
        if (timeoutMs != null && timeoutSeconds != null) {
            throw DispatcherException.invalid("timeout (seconds) and timeoutMs are exclusive: send one");
        }
        if (timeoutSeconds != null) {
            timeoutMs = Math.multiplyExact(timeoutSeconds, 1000L);
        }
        Instant expiresAt = expiresAt(root, now);
        Duration expiresIn = expiresIn(root);
        SecurityMode security = null;
        AskMode ask = null;
        try {
            String s = text(root, "security");
            security = s == null ? null : SecurityMode.fromWire(s);
            String a = text(root, "ask");
            ask = a == null ? null : AskMode.fromWire(a);
        } catch (IllegalArgumentException e) {
            throw DispatcherException.invalid(e.getMessage());
        }
        String requestedBy = text(root, "requestedBy");
        Exec exec;
        try {
            exec = new Exec(id, node != null ? node : "fanout", argv, command, text(root, "workdir"), stringMap(root, "env"),
                    timeoutMs, expiresAt, security, ask, requestedBy != null ? requestedBy : principal, null,
                    stringMap(root, "labels"), null);
        } catch (IllegalArgumentException e) {
            throw DispatcherException.invalid(e.getMessage());
        }
        if (node != null) {
            if (root.has("maxConcurrency") || root.has("maxErrors")) {
                throw DispatcherException.invalid("maxConcurrency and maxErrors apply to nodes or selector, not to one node");
            }
            return new SubmitBody(exec, expiresIn, null);
        }
        return new SubmitBody(null, expiresIn, new FanOutRequest(exec, nodes, selector,
                limit(root, "maxConcurrency"), limit(root, "maxErrors")));
    }

    private static final Duration MAX_EXPIRY = SubmitLimits.MAX_EXPIRY;

    /** The absolute deadline, {@code expiresAt}, or null. */
    private static Instant expiresAt(JsonNode root, Instant now) {
        String at = text(root, "expiresAt");
        JsonNode in = root.get("expiresIn");
        if (at != null && in != null && !in.isNull()) {
            throw DispatcherException.invalid("expiresAt and expiresIn are exclusive: send one");
        }
        if (at == null) {
            return null;
        }
        try {
            Instant t = Instant.parse(at);
            if (!t.isAfter(now)) {
                throw DispatcherException.invalid("expiresAt must be in the future, not " + at);
            }
            if (t.isAfter(now.plus(MAX_EXPIRY))) {
                throw DispatcherException.invalid("expiresAt must be within " + MAX_EXPIRY.toDays() + " days, not " + at);
            }
            return t;
        } catch (DateTimeParseException e) {
            throw DispatcherException.invalid("expiresAt must be an ISO-8601 instant such as 2026-11-21T23:00:00Z, not '" + at + "'");
        }
    }

    /**
     * The relative deadline, {@code expiresIn}, or null. It stays relative: the dispatcher adds it
     * to the time it records the command, and a retry of the same body is the same command.
     */
    private static Duration expiresIn(JsonNode root) {
        JsonNode in = root.get("expiresIn");
        if (in == null || in.isNull()) {
            return null;
        }
        Duration d;
        if (in.isIntegralNumber() && !in.canConvertToLong()) {
            throw DispatcherException.invalid("expiresIn must be at most " + MAX_EXPIRY.toDays() + " days, not " + in);
        }
        try {
            d = in.isIntegralNumber() ? Duration.ofSeconds(in.longValue()) : Durations.parse(in.isTextual() ? in.textValue() : in.toString(), "expiresIn");
        } catch (IllegalArgumentException e) {
            throw DispatcherException.invalid(e.getMessage());
        }
        if (d.isNegative() || d.isZero()) {
            throw DispatcherException.invalid("expiresIn must be positive");
        }
        if (d.compareTo(MAX_EXPIRY) > 0) {
            throw DispatcherException.invalid("expiresIn must be at most " + MAX_EXPIRY.toDays() + " days, not " + in.asText(in.toString()));
        }
        return d;
    }

    private static Limit limit(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() && !v.isTextual()) {
            throw DispatcherException.invalid(field + " must be a whole number or a percentage such as \"10%\"");
        }
        try {
            return Limit.parse(v.asText(), field);
        } catch (IllegalArgumentException e) {
            throw DispatcherException.invalid(e.getMessage());
        }
    }

    private static Selector selector(JsonNode s) {
        if (s == null || s.isNull()) {
            return null;
        }
        if (!s.isObject()) {
            throw DispatcherException.invalid("selector must be an object such as {\"labels\":{\"site\":\"home\"},\"os\":\"windows\"}");
        }
        JsonNode online = s.get("online");
        if (online != null && !online.isNull() && !online.isBoolean()) {
            throw DispatcherException.invalid("selector.online must be true or false");
        }
        return new Selector(stringMap(s, "labels", "selector.labels"), textField(s, "os", "selector.os"),
                online != null && online.asBoolean(false));
    }

    private static String text(JsonNode root, String field) {
        return textField(root, field, field);
    }

    private static String textField(JsonNode root, String field, String name) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw DispatcherException.invalid(name + " must be a string");
        }
        return v.textValue();
    }

    private static Long positiveLong(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || (v.canConvertToLong() && v.longValue() <= 0)) {
            throw DispatcherException.invalid(field + " must be a positive whole number");
        }
        if (!v.canConvertToLong() || v.longValue() > SubmitLimits.MAX_TIMEOUT_MS) {
            throw DispatcherException.invalid(field + " must be at most " + SubmitLimits.MAX_TIMEOUT_MS + ", not " + v);
        }
        return v.longValue();
    }

    private static List<String> strings(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw DispatcherException.invalid(field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw DispatcherException.invalid(field + "[" + i + "] must be a string");
            }
            out.add(e.textValue());
            i++;
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode root, String field) {
        return stringMap(root, field, field);
    }

    private static Map<String, String> stringMap(JsonNode root, String field, String name) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw DispatcherException.invalid(name + " must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw DispatcherException.invalid(name + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }
}
