package dev.hostops.contracts.message;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the node's policy decided and which rule decided it.
 *
 * @param decision "allow", "deny", "ask" (approval given), or "full" (security: full)
 * @param rule     a human-readable name of the rule, e.g. "allow[0] /usr/bin/git" or "deny[1]"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyDecision(String decision, String rule) {
    public PolicyDecision {
        Checks.required(decision, "policy.decision");
    }
}
