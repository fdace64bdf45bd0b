package dev.hostops.contracts.sign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hostops.contracts.sign.internal.Es6Numbers;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON Canonicalization Scheme of RFC 8785 (JCS) over a Jackson tree: no whitespace, object
 * members sorted by the UTF-16 code units of their names, strings with only the escapes JCS allows,
 * numbers as ECMAScript writes IEEE 754 doubles. Two parties that hold the same JSON value get the
 * same bytes, whatever spacing, member order or escapes the sender used, so a signature can be
 * over the value rather than over one serialisation of it.
 *
 * <p>Every JSON number is a double in JCS: integers up to 2^53 in magnitude come out as written,
 * larger ones are rounded like any double ({@code 295147905179352830000}). hostops messages only
 * carry integers far below that.
 */
public final class JsonCanonicalizer {
    private static final BigInteger MAX_EXACT = BigInteger.ONE.shiftLeft(53);

    private JsonCanonicalizer() {}

    /**
     * The canonical UTF-8 bytes of {@code value}.
     *
     * @throws IllegalArgumentException for a string with a lone surrogate (it has no UTF-8 form) or a
     *                                  node that is not plain JSON (binary, POJO)
     */
    public static byte[] canonicalize(JsonNode value) {
        return canonicalString(value).getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #canonicalize} as a string. */
    public static String canonicalString(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case NULL, MISSING -> out.append("null");
            case BOOLEAN -> out.append(node.booleanValue());
            case STRING -> string(node.textValue(), out);
            case NUMBER -> number(node, out);
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    members.add(it.next());
                }
                // String.compareTo compares UTF-16 code units, exactly the order RFC 8785 asks for.
                members.sort(Map.Entry.comparingByKey());
                out.append('{');
                for (int i = 0; i < members.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(members.get(i).getKey(), out);
                    out.append(':');
                    write(members.get(i).getValue(), out);
                }
                out.append('}');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    private static void number(JsonNode node, StringBuilder out) {
        if (node.isIntegralNumber()) {
            BigInteger v = node.bigIntegerValue();
            if (v.abs().compareTo(MAX_EXACT) <= 0) {
                out.append(v); // exactly what the double would print
                return;
            }
        }
        out.append(Es6Numbers.format(node.doubleValue()));
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new IllegalArgumentException("a string holds a lone surrogate at index " + i + "; it has no UTF-8 form");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
