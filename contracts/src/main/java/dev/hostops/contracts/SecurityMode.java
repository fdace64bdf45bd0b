package dev.hostops.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How much a node lets run: nothing, what the allowlist names, or anything. Ordered strictest first. */
public enum SecurityMode {
    DENY("deny"),
    ALLOWLIST("allowlist"),
    FULL("full");

    private final String wire;

    SecurityMode(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static SecurityMode fromWire(String value) {
        return Wire.parse(SecurityMode.class, value, "security");
    }

    /** The stricter of the two: a command may tighten the node's policy, never loosen it. */
    public SecurityMode stricter(SecurityMode other) {
        return other == null || ordinal() <= other.ordinal() ? this : other;
    }
}
