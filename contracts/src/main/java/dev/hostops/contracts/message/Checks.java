package dev.hostops.contracts.message;

import dev.hostops.contracts.NodeId;
import java.util.List;
import java.util.Map;

/** Validation shared by the message records' compact constructors. Messages name the field. */
final class Checks {
    static final int MAX_ID_LENGTH = 128;

    private Checks() {}

    static String id(String id) {
        if (id == null) {
            throw new IllegalArgumentException("id is required");
        }
        if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("id must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("id must be printable ASCII without spaces");
            }
        }
        return id;
    }

    static String node(String node) {
        if (node == null) {
            throw new IllegalArgumentException("node is required");
        }
        return NodeId.require(node, "node");
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative");
        }
        return value;
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    static Map<String, String> map(Map<String, String> map) {
        return map == null ? Map.of() : Map.copyOf(map);
    }
}
