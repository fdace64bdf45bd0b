package dev.hostops.contracts;

import java.util.Objects;

/**
 * A value that breaks the wire contract, thrown by the records' compact constructors.
 * It is an {@link IllegalArgumentException} (so existing callers keep working) that also carries
 * the stable {@link ErrorCode} and the wire name of the field at fault, so that the codec can
 * report both without parsing the message text.
 */
public final class ContractViolation extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String field;

    /**
     * @param code    the stable code, e.g. {@link ErrorCode#MISSING_FIELD}
     * @param field   the field's wire name, dotted for nested fields ({@code "policy.decision"})
     * @param message a sentence a person understands, starting with the field name
     */
    public ContractViolation(ErrorCode code, String field, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    /** A required field that is absent or null. */
    public static ContractViolation missing(String field) {
        return new ContractViolation(ErrorCode.MISSING_FIELD, field, field + " is required");
    }

    /** A field with a value outside its rules. */
    public static ContractViolation invalid(String field, String message) {
        return new ContractViolation(ErrorCode.INVALID_FIELD, field, message);
    }

    public ErrorCode code() {
        return code;
    }

    /** The field's wire name; null when the violation is not about one field. */
    public String field() {
        return field;
    }
}
