package dev.hostops.node.policy.internal;

import dev.hostops.node.policy.AllowRule;
import dev.hostops.node.policy.DenyRule;
import dev.hostops.node.policy.PolicyException;
import java.util.List;
import java.util.Optional;

/** Checks of allow, deny and approved entries: paths absolute, patterns parseable, roots absolute, env names usable; keys named. */
public final class RuleChecks {
    private RuleChecks() {}

    public static void check(List<AllowRule> allow, List<DenyRule> deny, String source) throws PolicyException {
        for (int i = 0; i < allow.size(); i++) {
            checkAllow(allow.get(i), "allow[" + i + "]", source);
        }
        for (int i = 0; i < deny.size(); i++) {
            DenyRule d = deny.get(i);
            Values.absoluteGlob("deny[" + i + "].path", d.path(), source);
            checkArgs(d.args(), "deny[" + i + "]", source);
        }
    }

    public static void checkApproved(List<AllowRule> approved, String source) throws PolicyException {
        for (int i = 0; i < approved.size(); i++) {
            checkAllow(approved.get(i), "approved[" + i + "]", source);
        }
    }

    private static void checkAllow(AllowRule rule, String key, String source) throws PolicyException {
        Values.absoluteGlob(key + ".path", rule.path(), source);
        checkArgs(rule.args(), key, source);
        for (int j = 0; j < rule.workdirs().size(); j++) {
            Values.absoluteDir(key + ".workdirs[" + j + "]", rule.workdirs().get(j), source);
        }
        for (int j = 0; j < rule.env().size(); j++) {
            Optional<String> problem = EnvNames.problem(rule.env().get(j));
            if (problem.isPresent()) {
                throw new PolicyException(source + ": key '" + key + ".env[" + j + "]' " + problem.get());
            }
        }
    }

    private static void checkArgs(List<String> args, String key, String source) throws PolicyException {
        for (int j = 0; j < args.size(); j++) {
            String pattern = args.get(j);
            if (pattern == null) {
                throw new PolicyException(source + ": key '" + key + ".args[" + j + "]' is empty; write '' for \"no arguments\"");
            }
            try {
                ArgPattern.parse(pattern);
            } catch (IllegalArgumentException e) {
                throw new PolicyException(source + ": key '" + key + ".args[" + j + "]': " + e.getMessage());
            }
        }
    }
}
