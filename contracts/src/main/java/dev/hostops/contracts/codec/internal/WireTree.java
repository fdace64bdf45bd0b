package dev.hostops.contracts.codec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prepares a decoded JSON tree for binding to a record, so that the codec accepts exactly what the
 * JSON Schema accepts:
 * <ul>
 *   <li>JSON has one number type and the schema's {@code integer} includes {@code 5.0}; every number
 *       in the contract is an integer, so integral floats become integers (and {@code 5.5} still
 *       fails as the wrong type).</li>
 *   <li>An optional counter or flag (a primitive record component) that is absent or null takes
 *       its default, 0 or false, instead of failing as "null for a primitive".</li>
 * </ul>
 * The caller's tree is never changed: a shallow copy is made only when something must change.
 */
public final class WireTree {
    private WireTree() {}

    /** The name of the first required field that is absent or null, or null when all are there. */
    public static String firstMissing(JsonNode tree, List<String> required) {
        for (String field : required) {
            JsonNode value = tree.get(field);
            if (value == null || value.isNull()) {
                return field;
            }
        }
        return null;
    }

    /** A record's primitive components: each defaults to 0 or false when optional and absent. */
    private record PrimitiveComponent(String name, boolean isBoolean) {}

    /** Per record type, read once: {@link Class#getRecordComponents} reflects anew on every call. */
    private static final ClassValue<List<PrimitiveComponent>> PRIMITIVES = new ClassValue<>() {
        @Override
        protected List<PrimitiveComponent> computeValue(Class<?> type) {
            List<PrimitiveComponent> out = new ArrayList<>();
            for (RecordComponent c : type.getRecordComponents()) {
                if (c.getType().isPrimitive()) {
                    out.add(new PrimitiveComponent(c.getName(), c.getType() == boolean.class));
                }
            }
            return List.copyOf(out);
        }
    };

    public static ObjectNode prepare(ObjectNode tree, Class<? extends Record> recordType, List<String> required) {
        ObjectNode out = hasIntegralFloat(tree) ? (ObjectNode) normalizeNumbers(tree.deepCopy()) : tree;
        for (PrimitiveComponent c : PRIMITIVES.get(recordType)) {
            if (required.contains(c.name())) {
                continue;
            }
            JsonNode value = out.get(c.name());
            if (value == null || value.isNull()) {
                if (out == tree) {
                    out = tree.objectNode().setAll(tree);
                }
                out.set(c.name(), c.isBoolean()
                        ? JsonNodeFactory.instance.booleanNode(false)
                        : JsonNodeFactory.instance.numberNode(0));
            }
        }
        return out;
    }

    private static boolean hasIntegralFloat(JsonNode node) {
        if (node.isFloatingPointNumber()) {
            return isIntegral(node);
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                if (hasIntegralFloat(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isIntegral(JsonNode n) {
        if (n.isDouble() || n.isFloat()) {
            double x = n.doubleValue();
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        BigDecimal d = n.decimalValue();
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    private static JsonNode normalizeNumbers(JsonNode node) {
        if (node.isFloatingPointNumber() && isIntegral(node)) {
            BigInteger value = node.decimalValue().toBigIntegerExact();
            if (value.bitLength() < 32) {
                return JsonNodeFactory.instance.numberNode(value.intValue());
            }
            return value.bitLength() < 64
                    ? JsonNodeFactory.instance.numberNode(value.longValue())
                    : JsonNodeFactory.instance.numberNode(value);
        }
        if (node instanceof ObjectNode obj) {
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(normalizeNumbers(e.getValue()));
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                arr.set(i, normalizeNumbers(arr.get(i)));
            }
        }
        return node;
    }
}
