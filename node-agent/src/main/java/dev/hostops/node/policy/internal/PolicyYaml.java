package dev.hostops.node.policy.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hostops.contracts.internal.YamlErrors;
import dev.hostops.node.policy.PolicyException;
import java.util.stream.Collectors;

/**
 * Strict YAML reading: unknown and duplicate keys are errors, a list where a value belongs (or the reverse) is an
 * error, and every message names the key path and the line. Values are checked afterwards by the caller, which
 * names the key too.
 */
public final class PolicyYaml {
    private static final ObjectMapper MAPPER = strictMapper();

    private PolicyYaml() {}

    static ObjectMapper strictMapper() {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // A list or map where a string belongs must not quietly become a string (or vice versa).
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.EmptyArray, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }

    /** Reads {@code yaml} into {@code type}; {@code source} names the file in messages. Null for an empty document. */
    public static <T> T read(String yaml, Class<T> type, String source) throws PolicyException {
        if (yaml.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#") || l.equals("---"))) {
            return null;
        }
        try {
            return MAPPER.readValue(yaml, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(String::valueOf)
                    .sorted().collect(Collectors.joining(", "));
            throw new PolicyException(source + ": unknown key '" + keyPath(e) + "'" + line(e)
                    + (known.isEmpty() ? "" : "; allowed keys here: " + known), e);
        } catch (MismatchedInputException e) {
            String key = keyPath(e);
            throw new PolicyException(source + ": " + (key.isEmpty() ? "the document" : "key '" + key + "'") + line(e)
                    + " has the wrong shape (" + expected(e) + ")", e);
        } catch (JsonProcessingException e) {
            String syntax = YamlErrors.syntax(e);
            if (syntax != null) { // the parser's place of the error, not Jackson's (often the line before)
                throw new PolicyException(source + ": " + syntax, e);
            }
            String key = e instanceof JsonMappingException m ? keyPath(m) : "";
            String what = e.getOriginalMessage().replace("Duplicate field", "duplicate key");
            throw new PolicyException(source + ": " + (key.isEmpty() ? "" : "key '" + key + "': ") + what + line(e), e);
        }
    }

    private static String expected(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        if (target == null) {
            return "unexpected value";
        }
        if (java.util.List.class.isAssignableFrom(target)) {
            return "expected a list";
        }
        if (target == String.class) {
            return "expected a single value, not a list or map";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "expected true or false";
        }
        return "expected a map of keys";
    }

    private static String line(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    private static String keyPath(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
