package dev.hostops.contracts;

import java.util.regex.Pattern;

/** Node ids match {@code [A-Za-z0-9_-]{1,64}}: safe in topics, routing keys, file names and URLs. */
public final class NodeId {
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** The same rule as the JSON Schema states it (anchored, ECMA-262 syntax). */
    public static final String SCHEMA_PATTERN = "^[A-Za-z0-9_-]{1,64}$";

    private NodeId() {}

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /**
     * Returns the id, or throws an {@link IllegalArgumentException} (a {@link ContractViolation}
     * with {@link ErrorCode#INVALID_NODE_ID}) naming the field.
     */
    public static String require(String id, String field) {
        if (!isValid(id)) {
            String shown = id == null ? "null" : id.length() > 80 ? id.substring(0, 80) + "..." : id;
            throw new ContractViolation(ErrorCode.INVALID_NODE_ID, field,
                    field + " must match [A-Za-z0-9_-]{1,64}, not '" + shown + "'");
        }
        return id;
    }
}
