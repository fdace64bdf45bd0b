package dev.hostops.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** When a node asks a person before running: never, when the allowlist misses, or always. Ordered loosest first. */
public enum AskMode {
    OFF("off"),
    ON_MISS("on-miss"),
    ALWAYS("always");

    private final String wire;

    AskMode(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static AskMode fromWire(String value) {
        return Wire.parse(AskMode.class, value, "ask");
    }

    /** The stricter of the two (asks more often). */
    public AskMode stricter(AskMode other) {
        return other == null || ordinal() >= other.ordinal() ? this : other;
    }
}
