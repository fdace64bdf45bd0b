package dev.hostops.dispatcher.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Hostile JSON bodies: broken syntax, wrong types, huge and deeply nested documents, and submits
 * or approval decisions that are almost valid, with one field made hostile.
 */
final class Bodies {
    private static final List<String> NODES = List.of("fuzz-node", "../etc", "a/b", "", " ", "x".repeat(65), "n\u0000de",
            "\u0435cho", "node;rm", "*", "#", "+", "hostops/v1/node/x/cmd");
    private static final List<String> VALUES = List.of("null", "true", "0", "-1", "1e308", "1e999999", "-0", "1.5",
            "99999999999999999999999", "\"\"", "\"x\"", "[]", "{}", "[null]", "\"\\u0000\"", "\"\\ud800\"",
            "\"" + "y".repeat(5000) + "\"", "[\"/usr/bin/echo\",\"hi\"]", "{\"A\":\"1\"}", "{\"PATH\":\"/tmp\"}",
            "{\"LD_PRELOAD\":\"/x.so\"}", "\"2026-99-99T00:00:00Z\"", "\"-1s\"", "\"9999999999d\"", "\"full\"", "\"FULL\"",
            "\"always\"", "\"echo hi; rm -rf /\"", "\"echo $(id)\"", "\"echo `id`\"", "[1,2,3]", "[\"\"]", "[[\"a\"]]");
    private static final List<String> SUBMIT_FIELDS = List.of("node", "nodes", "selector", "argv", "command", "id", "workdir",
            "env", "timeoutMs", "timeout", "expiresAt", "expiresIn", "security", "ask", "labels", "requestedBy", "host",
            "signature", "v", "type", "__proto__", "constructor", "");
    private static final List<String> DECISIONS = List.of("allow-once", "allow-always", "deny", "ALLOW", "", "maybe", "allow_once");

    private Bodies() {}

    static byte[] any(Random r, boolean approval) {
        String s = switch (r.nextInt(12)) {
            case 0 -> "";
            case 1 -> VALUES.get(r.nextInt(VALUES.size()));
            case 2 -> truncated(validSubmit(r), r);
            case 3 -> nested(r);
            case 4 -> null;
            case 5 -> approval ? decision(r) : validSubmit(r).replace("\"argv\"", "\"argv\":" + pick(r, VALUES) + ",\"x\"");
            case 6 -> "{\"node\":\"fuzz-node\",\"argv\":[\"/usr/bin/echo\"],\"node\":\"other\"}";   // duplicate key
            case 7 -> "{\"node\":\"fuzz-node\",\"argv\":[\"/usr/bin/echo\",\"" + "z".repeat(70_000) + "\"]}";  // over maxBodyBytes
            case 8 -> approval ? "{\"decision\":" + pick(r, VALUES) + "}" : "{\"node\":\"fuzz-node\",\"command\":" + pick(r, VALUES) + "}";
            default -> approval ? decision(r) : mutatedSubmit(r);
        };
        if (s == null) {
            byte[] bytes = new byte[r.nextInt(2048)];
            r.nextBytes(bytes);
            return bytes;
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String validSubmit(Random r) {
        return "{\"node\":\"fuzz-node\",\"argv\":[\"/usr/bin/echo\",\"fuzz " + r.nextInt(1_000_000) + "\"],\"timeoutMs\":5000}";
    }

    private static String mutatedSubmit(Random r) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"node\":\"").append(escape(pick(r, NODES))).append('"');
        int fields = r.nextInt(4);
        for (int i = 0; i < fields; i++) {
            b.append(",\"").append(pick(r, SUBMIT_FIELDS)).append("\":").append(pick(r, VALUES));
        }
        if (r.nextBoolean()) {
            b.append(",\"argv\":[\"/usr/bin/echo\"]");
        }
        return b.append('}').toString();
    }

    private static String decision(Random r) {
        return "{\"decision\":\"" + pick(r, DECISIONS) + "\"" + (r.nextBoolean() ? ",\"reason\":" + pick(r, VALUES) : "") + "}";
    }

    private static String nested(Random r) {
        int depth = 1 + r.nextInt(30_000);   // within the 64 KiB body limit of the test dispatcher
        boolean arrays = r.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        return "{\"node\":\"fuzz-node\",\"argv\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}";
    }

    private static String truncated(String s, Random r) {
        return s.substring(0, r.nextInt(s.length()));
    }

    private static String escape(String s) {
        return s.replace("\u0000", "\\u0000");
    }

    static <T> T pick(Random r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }
}
