package dev.hostops.broker.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What to do when a test cannot have the broker or binary it needs: skip, with a message saying
 * what is missing, or, with {@code HOSTOPS_REQUIRE_BROKERS=1} (CI), fail, so a suite that silently
 * ran against nothing cannot pass.
 */
public final class Requirement {
    public static final String REQUIRE_ENV = "HOSTOPS_REQUIRE_BROKERS";

    private Requirement() {}

    public static boolean required() {
        return "1".equals(System.getenv(REQUIRE_ENV)) || "true".equalsIgnoreCase(System.getenv(REQUIRE_ENV));
    }

    /** Skips or fails the current test; never returns normally. */
    public static <T> T missing(String what) {
        if (required()) {
            return Assertions.fail(what + " (" + REQUIRE_ENV + "=1, so this is a failure, not a skip)");
        }
        Assumptions.abort(what + "; skipped (set " + REQUIRE_ENV + "=1 to make this a failure)");
        throw new AssertionError("unreachable");
    }
}
