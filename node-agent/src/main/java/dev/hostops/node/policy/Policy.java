package dev.hostops.node.policy;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.node.policy.internal.ApprovedFile;
import dev.hostops.node.policy.internal.ArgPattern;
import dev.hostops.node.policy.internal.CanonicalPolicy;
import dev.hostops.node.policy.internal.PolicyDocument;
import dev.hostops.node.policy.internal.PolicyYaml;
import dev.hostops.node.policy.internal.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node's policy, read from the administrator's YAML file (format in docs/POLICY.md). Immutable; the approved
 * entries are the ones the approved file held when the policy was loaded.
 */
public final class Policy {
    /** Used when {@code approvalTimeout} is not set. */
    public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofSeconds(120);
    /** The approved file's name next to the policy file when {@code approvedFile} is not set. */
    public static final String DEFAULT_APPROVED_FILE = "approved.yaml";

    private final SecurityMode security;
    private final AskMode ask;
    private final boolean askFallbackAllows;
    private final Duration approvalTimeout;
    private final List<AllowRule> allow;
    private final List<DenyRule> deny;
    private final boolean requireSignature;
    private final Path approvedFile;
    private final List<AllowRule> approved;
    private final String digest;

    private Policy(SecurityMode security, AskMode ask, boolean askFallbackAllows, Duration approvalTimeout,
                   List<AllowRule> allow, List<DenyRule> deny, boolean requireSignature, Path approvedFile,
                   List<AllowRule> approved) {
        this.security = security;
        this.ask = ask;
        this.askFallbackAllows = askFallbackAllows;
        this.approvalTimeout = approvalTimeout;
        this.allow = allow;
        this.deny = deny;
        this.requireSignature = requireSignature;
        this.approvedFile = approvedFile;
        this.approved = approved;
        this.digest = CanonicalPolicy.digest(this);
    }

    /** Reads the policy file; relative {@code approvedFile} and the default {@code approved.yaml} are next to it. */
    public static Policy load(Path file) throws PolicyException {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyException("The policy file " + file + " cannot be read: " + e, e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(yaml, dir, file.toString());
    }

    /**
     * Parses policy YAML. {@code baseDirForRelativeFiles} is where a relative {@code approvedFile} and the default
     * {@code approved.yaml} live; null means no approved file unless the policy names an absolute one.
     */
    public static Policy parse(String yaml, Path baseDirForRelativeFiles) throws PolicyException {
        return parse(yaml, baseDirForRelativeFiles, "policy");
    }

    private static Policy parse(String yaml, Path baseDir, String source) throws PolicyException {
        PolicyDocument doc = PolicyYaml.read(yaml, PolicyDocument.class, source);
        if (doc == null) {
            throw new PolicyException(source + ": the policy is empty; it needs at least 'security: deny | allowlist | full'");
        }
        if (doc.security == null) {
            throw new PolicyException(source + ": key 'security' is required (deny | allowlist | full)");
        }
        SecurityMode security = SecurityMode.fromWire(Values.choice("security", doc.security, List.of("deny", "allowlist", "full"), null, source));
        AskMode ask = AskMode.fromWire(Values.choice("ask", doc.ask, List.of("off", "on-miss", "always"), "on-miss", source));
        boolean fallbackAllows = "allow".equals(Values.choice("askFallback", doc.askFallback, List.of("deny", "allow"), "deny", source));
        Duration timeout = Values.duration("approvalTimeout", doc.approvalTimeout, DEFAULT_APPROVAL_TIMEOUT, source);
        List<AllowRule> allow = new ArrayList<>();
        if (doc.allow != null) {
            for (int i = 0; i < doc.allow.size(); i++) {
                PolicyDocument.AllowEntry e = doc.allow.get(i);
                if (e == null) {
                    throw new PolicyException(source + ": key 'allow[" + i + "]' is empty; it needs at least 'path'");
                }
                Values.absoluteGlob("allow[" + i + "].path", e.path, source);
                allow.add(new AllowRule(e.path, e.args, e.workdirs));
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
            approvedFile = baseDir.resolve(DEFAULT_APPROVED_FILE);
        }
        boolean signature = doc.requireSignature != null && doc.requireSignature;
        return create(security, ask, fallbackAllows, timeout, allow, deny, signature, approvedFile,
                ApprovedFile.load(approvedFile), source);
    }

    /**
     * A policy from values (tests, {@link #demo}); checked like a file.
     *
     * @param approvedFile where "allow always" entries are written, or null to keep them in memory only
     */
    public static Policy of(SecurityMode security, AskMode ask, boolean askFallbackAllows, Duration approvalTimeout,
                            List<AllowRule> allow, List<DenyRule> deny, boolean requireSignature, Path approvedFile,
                            List<AllowRule> approved) throws PolicyException {
        return create(security, ask, askFallbackAllows, approvalTimeout, allow, deny, requireSignature, approvedFile,
                approved == null ? List.of() : approved, "policy");
    }

    private static Policy create(SecurityMode security, AskMode ask, boolean askFallbackAllows, Duration approvalTimeout,
                                 List<AllowRule> allow, List<DenyRule> deny, boolean requireSignature, Path approvedFile,
                                 List<AllowRule> approved, String source) throws PolicyException {
        Objects.requireNonNull(security, "security must not be null");
        Objects.requireNonNull(ask, "ask must not be null");
        Objects.requireNonNull(approvalTimeout, "approvalTimeout must not be null");
        if (approvalTimeout.isNegative() || approvalTimeout.isZero()) {
            throw new PolicyException(source + ": key 'approvalTimeout' must be positive");
        }
        for (int i = 0; i < allow.size(); i++) {
            checkAllow(allow.get(i), "allow[" + i + "]", source);
        }
        for (int i = 0; i < deny.size(); i++) {
            DenyRule d = deny.get(i);
            Values.absoluteGlob("deny[" + i + "].path", d.path(), source);
            checkArgs(d.args(), "deny[" + i + "]", source);
        }
        String approvedSource = approvedFile == null ? "approved" : approvedFile.toString();
        for (int i = 0; i < approved.size(); i++) {
            checkAllow(approved.get(i), "approved[" + i + "]", approvedSource);
        }
        return new Policy(security, ask, askFallbackAllows, approvalTimeout, List.copyOf(allow), List.copyOf(deny),
                requireSignature, approvedFile, List.copyOf(approved));
    }

    private static void checkAllow(AllowRule rule, String key, String source) throws PolicyException {
        Values.absoluteGlob(key + ".path", rule.path(), source);
        checkArgs(rule.args(), key, source);
        for (int j = 0; j < rule.workdirs().size(); j++) {
            Values.absoluteDir(key + ".workdirs[" + j + "]", rule.workdirs().get(j), source);
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

    /**
     * A safe policy for the quickstart on this machine: allowlist with ask on-miss, the host's own git and docker
     * (found in PATH now and pinned by real path) with read-only arguments, inside {@code workdirRoot} only, and the
     * usual deny rules. "Allow always" decisions are kept in memory.
     */
    public static Policy demo(Path workdirRoot) {
        return DemoPolicy.create(workdirRoot, HostModel.current());
    }

    /** {@link #demo(Path)} for a given host (tests). */
    public static Policy demo(Path workdirRoot, HostModel host) {
        return DemoPolicy.create(workdirRoot, host);
    }

    public SecurityMode security() {
        return security;
    }

    public AskMode ask() {
        return ask;
    }

    public Duration approvalTimeout() {
        return approvalTimeout;
    }

    /** {@code askFallback: allow}: run the command when no approver answered in time. */
    public boolean askFallbackAllows() {
        return askFallbackAllows;
    }

    public boolean requireSignature() {
        return requireSignature;
    }

    public List<AllowRule> allow() {
        return allow;
    }

    public List<DenyRule> deny() {
        return deny;
    }

    /** The entries of the approved file when the policy was loaded. */
    public List<AllowRule> approved() {
        return approved;
    }

    public Optional<Path> approvedFile() {
        return Optional.ofNullable(approvedFile);
    }

    /**
     * {@code sha256:<hex>} of the canonical policy (every key with its effective value, rules in file order; not the
     * approved entries, not comments or layout), for presence messages: two nodes with the same digest judge alike.
     */
    public String digest() {
        return digest;
    }

    @Override
    public String toString() {
        return "Policy[security=" + security.wire() + ", ask=" + ask.wire() + ", allow=" + allow.size() + ", deny="
                + deny.size() + ", approved=" + approved.size() + ", " + digest + "]";
    }
}
