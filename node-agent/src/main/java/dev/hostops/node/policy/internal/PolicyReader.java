package dev.hostops.node.policy.internal;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.node.policy.AllowRule;
import dev.hostops.node.policy.AskFallback;
import dev.hostops.node.policy.DenyRule;
import dev.hostops.node.policy.Policy;
import dev.hostops.node.policy.PolicyException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Turns the policy file's text into a {@link Policy}: strict YAML, then every value checked with its key named. */
public final class PolicyReader {
    private PolicyReader() {}

    /** Reads policy YAML; {@code source} names the file in messages, {@code baseDir} resolves the approved file. */
    public static Policy read(String yaml, Path baseDir, String source) throws PolicyException {
        PolicyDocument doc = PolicyYaml.read(yaml, PolicyDocument.class, source);
        if (doc == null) {
            throw new PolicyException(source + ": the policy is empty; it needs at least 'security: deny | allowlist | full'");
        }
        if (doc.security == null) {
            throw new PolicyException(source + ": key 'security' is required (deny | allowlist | full)");
        }
        SecurityMode security = SecurityMode.fromWire(Values.choice("security", doc.security, List.of("deny", "allowlist", "full"), null, source));
        AskMode ask = AskMode.fromWire(Values.choice("ask", doc.ask, List.of("off", "on-miss", "always"), "on-miss", source));
        AskFallback fallback = AskFallback.fromWire(Values.choice("askFallback", doc.askFallback,
                List.of("deny", "allowlist", "full", "allow"), "deny", source));
        Duration timeout = Values.duration("approvalTimeout", doc.approvalTimeout, Policy.DEFAULT_APPROVAL_TIMEOUT, source);
        List<AllowRule> allow = new ArrayList<>();
        if (doc.allow != null) {
            for (int i = 0; i < doc.allow.size(); i++) {
                PolicyDocument.AllowEntry e = doc.allow.get(i);
                if (e == null) {
                    throw new PolicyException(source + ": key 'allow[" + i + "]' is empty; it needs at least 'path'");
                }
                Values.absoluteGlob("allow[" + i + "].path", e.path, source);
                allow.add(new AllowRule(e.path, e.args, e.workdirs, e.env));
            }
        }
        List<DenyRule> deny = new ArrayList<>();
        if (doc.deny != null) {
            for (int i = 0; i < doc.deny.size(); i++) {
                PolicyDocument.DenyEntry e = doc.deny.get(i);
                if (e == null) {
                    throw new PolicyException(source + ": key 'deny[" + i + "]' is empty; it needs at least 'path'");
                }
                Values.absoluteGlob("deny[" + i + "].path", e.path, source);
                deny.add(new DenyRule(e.path, e.args));
            }
        }
        Path approvedFile = null;
        if (doc.approvedFile != null) {
            if (doc.approvedFile.isBlank()) {
                throw new PolicyException(source + ": key 'approvedFile' must not be empty");
            }
            Path p = baseDir == null ? Path.of(doc.approvedFile) : baseDir.getFileSystem().getPath(doc.approvedFile);
            if (!p.isAbsolute() && baseDir == null) {
                throw new PolicyException(source + ": key 'approvedFile' is relative, but there is no policy directory to resolve it against");
            }
            approvedFile = p.isAbsolute() ? p : baseDir.resolve(p);
        } else if (baseDir != null) {
            approvedFile = baseDir.resolve(Policy.DEFAULT_APPROVED_FILE);
        }
        boolean signature = doc.requireSignature != null && doc.requireSignature;
        RuleChecks.check(allow, deny, source);
        return Policy.of(security, ask, fallback, timeout, allow, deny, signature, approvedFile,
                ApprovedFile.load(approvedFile)).withTrustedKeys(TrustedKeysReader.read(doc.trustedKeys, baseDir, source));
    }

}
