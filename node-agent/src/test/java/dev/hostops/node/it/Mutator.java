package dev.hostops.node.it;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/** Deterministic mutations of a JSON message: byte flips, truncation, splices, type swaps, junk. */
final class Mutator {
    private static final String[] REPLACEMENTS = {"null", "true", "[]", "{}", "\"\"", "-1", "1e309", "\"\\u0000\"",
            "[[[[[[[[[[]]]]]]]]]]", "\"" + "x".repeat(5000) + "\""};

    private Mutator() {}

    static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        switch (random.nextInt(7)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                return b;
            }
            case 1 -> {
                return Arrays.copyOf(b, random.nextInt(b.length));
            }
            case 2 -> {
                String s = new String(b, StandardCharsets.UTF_8);
                return s.replaceFirst("\"(argv|node|id|v|type)\":", "\"x$1\":").getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                String s = new String(b, StandardCharsets.UTF_8);
                String field = new String[] {"argv", "node", "id", "v", "type"}[random.nextInt(5)];
                String repl = REPLACEMENTS[random.nextInt(REPLACEMENTS.length)];
                return s.replaceFirst("(\"" + field + "\":)(\"[^\"]*\"|\\[[^\\]]*\\]|[0-9]+)", "$1" + java.util.regex.Matcher.quoteReplacement(repl))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> {
                byte[] junk = new byte[random.nextInt(64)];
                random.nextBytes(junk);
                return junk;
            }
            case 5 -> {
                String s = new String(b, StandardCharsets.UTF_8);
                return (s + s).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                String s = new String(b, StandardCharsets.UTF_8);
                return s.replace("exec", new String[] {"cancel", "result", "exe", "EXEC", ""}[random.nextInt(5)])
                        .getBytes(StandardCharsets.UTF_8);
            }
        }
    }
}
