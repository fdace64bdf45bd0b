package dev.hostops.contracts.message;

import dev.hostops.contracts.CommandId;
import dev.hostops.contracts.ContractViolation;
import dev.hostops.contracts.NodeId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation shared by the message records' compact constructors. Every failure is a
 * {@link ContractViolation} that names the field by its wire name.
 */
final class Checks {
    private Checks() {}

    static String id(String id) {
        return CommandId.require(id, "id");
    }

    static String node(String node) {
        if (node == null) {
            throw ContractViolation.missing("node");
        }
        return NodeId.require(node, "node");
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw ContractViolation.missing(field);
        }
        return value;
    }

    static long nonNegative(long value, String field) {
        if (value < 0) {
            throw ContractViolation.invalid(field, field + " must not be negative");
        }
        return value;
    }

    /** An immutable copy; absent means empty; a null element is refused (JSON arrays here hold strings). */
    static <T> List<T> list(List<T> list, String field) {
        if (list == null) {
            return List.of();
        }
        return nonNullCopy(list, field);
    }

    static <T> List<T> nonNullCopy(List<T> list, String field) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw ContractViolation.invalid(field + "[" + i + "]", field + "[" + i + "] must be a string, not null");
            }
        }
        return List.copyOf(list);
    }

    /** An immutable copy that keeps the sender's order; absent means empty; null values are refused. */
    static Map<String, String> map(Map<String, String> map, String field) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw ContractViolation.invalid(field + "." + e.getKey(), field + "." + e.getKey() + " must be a string, not null");
            }
            copy.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }

}
