package dev.hostops.contracts.codec.internal;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.hostops.contracts.ContractViolation;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.codec.MessageFormatException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns Jackson's binding failures into a {@link MessageFormatException} with a stable code, the
 * wire name of the field (dotted for nested fields, e.g. {@code error.code}) and a sentence that
 * says what was expected, without Jackson's class names.
 */
public final class BindingErrors {
    private BindingErrors() {}

    public static MessageFormatException translate(JsonMappingException e, String id, String node, String type) {
        String path = path(e);
        ContractViolation violation = find(e);
        if (violation != null) {
            String field = qualify(path, violation.field());
            String message = violation.getMessage();
            if (violation.field() != null && !field.equals(violation.field()) && message.startsWith(violation.field())) {
                message = field + message.substring(violation.field().length());
            }
            return new MessageFormatException(violation.code(), field, message, id, node, type);
        }
        String field = path == null ? null : path;
        String what = field == null ? "a field" : field;
        if (e instanceof InvalidFormatException ife && ife.getTargetType() != null && ife.getTargetType().isEnum()) {
            return new MessageFormatException(ErrorCode.INVALID_FIELD, field,
                    what + " must be one of " + enumNames(ife.getTargetType()) + ", not " + shown(ife.getValue()), id, node, type);
        }
        if (e instanceof InvalidFormatException ife && ife.getValue() instanceof String) {
            // The right JSON type with a value that does not parse, e.g. a malformed date-time.
            return new MessageFormatException(ErrorCode.INVALID_FIELD, field,
                    what + " is not valid: expected " + expected(ife.getTargetType()) + ", not " + shown(ife.getValue()), id, node, type);
        }
        if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
            return new MessageFormatException(ErrorCode.INVALID_FIELD, field,
                    what + " has the wrong type: expected " + expected(mie.getTargetType()), id, node, type);
        }
        Throwable cause = e.getCause();
        String detail = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getOriginalMessage();
        return new MessageFormatException(ErrorCode.INVALID_FIELD, field, what + " is invalid: " + firstLine(detail), id, node, type);
    }

    private static ContractViolation find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ContractViolation v) {
                return v;
            }
        }
        return null;
    }

    /** Joins Jackson's path ("error") with the record's own field name ("code"): "error.code". */
    static String qualify(String path, String field) {
        if (path == null) {
            return field;
        }
        if (field == null || path.equals(field) || path.endsWith("." + field)) {
            return path;
        }
        if (field.startsWith(path + ".") || field.startsWith(path + "[")) {
            return field;
        }
        return path + "." + field;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static String expected(Class<?> t) {
        if (CharSequence.class.isAssignableFrom(t)) {
            return "a string";
        }
        if (t == long.class || t == Long.class || t == int.class || t == Integer.class) {
            return "an integer";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(t) || t.isArray()) {
            return "an array";
        }
        if (t == Instant.class) {
            return "an RFC 3339 date-time string such as 2026-11-21T23:00:00Z";
        }
        if (t.isEnum()) {
            return "one of " + enumNames(t);
        }
        if (Map.class.isAssignableFrom(t) || t.isRecord()) {
            return "an object";
        }
        return t.getSimpleName();
    }

    private static String enumNames(Class<?> t) {
        return Arrays.stream(t.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
    }

    private static String shown(Object value) {
        if (value == null) {
            return "null";
        }
        String s = value instanceof String str ? "'" + str + "'" : String.valueOf(value);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
