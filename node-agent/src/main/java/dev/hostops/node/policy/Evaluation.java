package dev.hostops.node.policy;

import dev.hostops.contracts.ErrorInfo;
import dev.hostops.contracts.message.PolicyDecision;
import java.util.Objects;

/**
 * The policy's answer for one command.
 *
 * @param verdict            ALLOW, ASK or DENY
 * @param resolvedExecutable the real path of the program (the host's own spelling), once it was resolved; run this,
 *                           not argv[0]
 * @param resolvedWorkdir    the real path of the working directory, or null when the command gave none
 * @param decision           what decided and which rule, e.g. {@code allow / allow[0] C:/Program Files/Git/cmd/git.exe}
 * @param error              set exactly when the verdict is DENY: a stable code and a sentence
 * @param askReason          set exactly when the verdict is ASK (and kept after an approval): starts with
 *                           "ask: always", "allowlist miss" or "shell wrapper"
 * @param allowlisted        an ASK that the allowlist alone allows (asked only because of {@code ask: always}):
 *                           what {@code askFallback: allowlist} lets run when nobody answers
 */
public record Evaluation(Verdict verdict, String resolvedExecutable, String resolvedWorkdir, PolicyDecision decision,
                         ErrorInfo error, String askReason, boolean allowlisted) {
    public Evaluation {
        Objects.requireNonNull(verdict, "verdict must not be null");
        Objects.requireNonNull(decision, "decision must not be null");
        if ((verdict == Verdict.DENY) != (error != null)) {
            throw new IllegalArgumentException("error must be set exactly when the verdict is DENY");
        }
        if (verdict == Verdict.ASK && askReason == null) {
            throw new IllegalArgumentException("askReason must be set when the verdict is ASK");
        }
    }

    /** An evaluation that is not an allowlisted ASK. */
    public Evaluation(Verdict verdict, String resolvedExecutable, String resolvedWorkdir, PolicyDecision decision,
                      ErrorInfo error, String askReason) {
        this(verdict, resolvedExecutable, resolvedWorkdir, decision, error, askReason, false);
    }
}
