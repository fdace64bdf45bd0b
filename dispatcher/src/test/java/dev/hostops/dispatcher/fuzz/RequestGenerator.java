package dev.hostops.dispatcher.fuzz;

import static dev.hostops.dispatcher.fuzz.Bodies.pick;

import dev.hostops.dispatcher.testing.Harness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates hostile requests from one seed: real routes and mangled ones ({@code ..}, {@code %00},
 * long, non-ASCII), odd methods, bad query parameters, missing or garbage tokens, wrong content
 * types and the bodies of {@link Bodies}. {@code wait=} is never a valid value above 1, so a
 * valid submit answers within a second plus the dispatcher's own time.
 */
final class RequestGenerator {
    private static final List<String> METHODS = List.of("GET", "GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH",
            "HEAD", "OPTIONS", "TRACE", "PROPFIND", "FOO");
    private static final List<String> ROUTES = List.of("/v1/commands", "/v1/commands/{id}", "/v1/commands/{id}/logs",
            "/v1/commands/{id}/cancel", "/v1/requests/{id}", "/v1/nodes", "/v1/nodes/{id}", "/v1/approvals",
            "/v1/approvals/{id}", "/v1/anomalies", "/v1/events", "/metrics", "/healthz", "/readyz", "/", "/v1", "/v2/commands");
    private static final List<String> IDS = List.of("some-id", "..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%00", "a%00b",
            "%ff%fe", "%e2%80%ae", "%EF%BD%85cho", "%D0%B5", "x".repeat(300), "0193a6c2-7c1e-7d4a-9f5e-2b1c3d4e5f60",
            "'%20OR%201=1--", "%3Cscript%3E", "%25", "fuzz-node", "");
    private static final List<String> QUERIES = List.of("", "", "?wait=-1", "?wait=abc", "?wait=99999999999", "?wait=3601",
            "?wait=0", "?wait=1", "?wait=", "?wait=1e3", "?wait=0x10", "?wait=%00", "?limit=99999999999", "?limit=-1",
            "?limit=0", "?limit=abc", "?limit=10001", "?status=nonsense", "?status=", "?state=weird", "?from=-5",
            "?from=abc", "?node=..%2f..", "?follow=false", "?follow=yes", "?requestId=%00", "?a=1&a=2&a=3",
            "?" + "p=1&".repeat(500), "?%zz=1", "?wait=1&wait=-1");
    private static final List<String> TOKENS = List.of(Harness.READ, Harness.SUBMIT, Harness.APPROVE, Harness.ADMIN);
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json", "text/plain",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
            "application/xml", "*/*", "garbage", "");

    private final Random random;

    RequestGenerator(long seed) {
        this.random = new Random(seed);
    }

    HostileRequest next(int index) {
        String method = pick(random, METHODS);
        String path = path() + query();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        authorization().ifPresent(v -> headers.add(Map.entry("Authorization", v)));
        String ct = pick(random, CONTENT_TYPES);
        if (!ct.isEmpty()) {
            headers.add(Map.entry("Content-Type", ct));
        }
        if (random.nextInt(8) == 0) {
            headers.add(Map.entry("Accept", random.nextBoolean() ? "text/event-stream" : "application/xml"));
        }
        if (random.nextInt(10) == 0) {
            headers.add(Map.entry("X-Forwarded-For", "127.0.0.1, 10.0.0.1"));
        }
        byte[] body = null;
        if (!method.equals("GET") && !method.equals("HEAD") || random.nextInt(10) == 0) {
            body = Bodies.any(random, path.startsWith("/v1/approvals"));
        }
        return new HostileRequest(index, method, path, headers, body);
    }

    private String path() {
        String route = pick(random, ROUTES).replace("{id}", pick(random, IDS));
        return switch (random.nextInt(20)) {
            case 0 -> route + "/..";
            case 1 -> "/v1/../" + route.substring(1);
            case 2 -> route + "%00";
            case 3 -> route + "/" + "a".repeat(1 + random.nextInt(3000));   // long; with a long query it can pass the 4096-byte request-line limit
            case 4 -> "//" + route.substring(1);
            case 5 -> route.toUpperCase(java.util.Locale.ROOT);
            case 6 -> route + "/";
            default -> route;
        };
    }

    private String query() {
        return pick(random, QUERIES);
    }

    private java.util.Optional<String> authorization() {
        return switch (random.nextInt(10)) {
            case 0 -> java.util.Optional.empty();
            case 1 -> java.util.Optional.of("Bearer " + Harness.UNKNOWN);
            case 2 -> java.util.Optional.of("Basic " + java.util.Base64.getEncoder().encodeToString("a:b".getBytes()));
            case 3 -> java.util.Optional.of("Bearer " + "t".repeat(4000));
            case 4 -> java.util.Optional.of(pick(random, List.of("Bearer", "Bearer ", "bearer " + Harness.ADMIN, "Bearer  "
                    + Harness.ADMIN, Harness.ADMIN, "Bearer " + Harness.ADMIN + " extra", "Bearer sha256:00")));
            default -> java.util.Optional.of("Bearer " + pick(random, TOKENS));
        };
    }
}
