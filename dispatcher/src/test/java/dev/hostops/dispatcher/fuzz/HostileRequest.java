package dev.hostops.dispatcher.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One generated request: method, path with query, headers (no restricted ones: the JDK client
 * refuses to send Host, Content-Length, Connection and such; {@link RawHttp} covers those), body.
 */
record HostileRequest(int index, String method, String path, List<Map.Entry<String, String>> headers, byte[] body) {

    /** A short description for failure messages: never the whole body or path. */
    String describe() {
        String b = body == null ? "no body" : body.length + " bytes: " + clip(new String(body, StandardCharsets.UTF_8));
        return "#" + index + " " + method + " " + clip(path) + " headers=" + headers.stream()
                .map(h -> h.getKey() + "=" + clip(h.getValue())).toList() + " body=" + b;
    }

    private static String clip(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "...(" + s.length() + " chars)";
    }
}
