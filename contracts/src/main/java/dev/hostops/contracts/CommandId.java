package dev.hostops.contracts;

/**
 * Command ids (and presence session ids): 1 to {@value #MAX_LENGTH} printable ASCII characters
 * without spaces, typically a UUIDv7 or a ULID chosen by the sender. They are the dedupe key, so
 * they must survive file names, logs and URLs unchanged.
 */
public final class CommandId {
    public static final int MAX_LENGTH = 128;

    /** The same rule as a regular expression, as the JSON Schema states it. */
    public static final String PATTERN = "^[!-~]{1," + MAX_LENGTH + "}$";

    private CommandId() {}

    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** Returns the id, or throws a {@link ContractViolation} naming the field. */
    public static String require(String id, String field) {
        if (id == null) {
            throw ContractViolation.missing(field);
        }
        if (!isValid(id)) {
            throw ContractViolation.invalid(field,
                    field + " must be 1 to " + MAX_LENGTH + " printable ASCII characters without spaces");
        }
        return id;
    }
}
