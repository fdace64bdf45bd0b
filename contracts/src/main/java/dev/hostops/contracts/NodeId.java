package dev.hostops.contracts;

import java.util.regex.Pattern;

/** Node ids match {@code [A-Za-z0-9_-]{1,64}}: safe in topics, routing keys, file names and URLs. */
public final class NodeId {
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private NodeId() {}

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /** Returns the id, or throws {@link IllegalArgumentException} naming the field. */
    public static String require(String id, String field) {
        if (!isValid(id)) {
            throw new IllegalArgumentException(field + " must match [A-Za-z0-9_-]{1,64}, not '" + id + "'");
        }
        return id;
    }
}
