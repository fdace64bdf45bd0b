package dev.hostops.contracts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Parsing of lower-case wire names into enums, with an error that names the field and the allowed values. */
final class Wire {
    private Wire() {}

    static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        for (E constant : type.getEnumConstants()) {
            if (wireName(constant).equals(value)) {
                return constant;
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(Wire::wireName).collect(Collectors.joining(", "));
        throw ContractViolation.invalid(field, field + " must be one of " + allowed + ", not '" + value + "'");
    }

    private static String wireName(Enum<?> constant) {
        for (Method m : constant.getDeclaringClass().getMethods()) {
            if (m.isAnnotationPresent(JsonValue.class)) {
                try {
                    return (String) m.invoke(constant);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return constant.name();
    }
}
