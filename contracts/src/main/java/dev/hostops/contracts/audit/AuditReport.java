package dev.hostops.contracts.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link AuditVerifier} found.
 *
 * @param lines    complete lines read
 * @param lastSeq  seq of the last line that verified (0 if none)
 * @param lastHash hash of the last line that verified; compare it with a copy kept elsewhere to notice
 *                 lines removed from the end, which the file alone cannot show
 * @param problem  the first problem, if any
 */
public record AuditReport(long lines, long lastSeq, String lastHash, Optional<AuditProblem> problem) {
    public AuditReport {
        Objects.requireNonNull(lastHash, "lastHash must not be null.");
        Objects.requireNonNull(problem, "problem must not be null.");
    }

    public boolean ok() {
        return problem.isEmpty();
    }
}
