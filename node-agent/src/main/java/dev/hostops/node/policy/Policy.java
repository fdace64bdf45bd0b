package dev.hostops.node.policy;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.node.policy.internal.CanonicalPolicy;
import dev.hostops.node.policy.internal.FileErrors;
import dev.hostops.node.policy.internal.PolicyReader;
import dev.hostops.node.policy.internal.RuleChecks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    private final AskFallback askFallback;
    private final Duration approvalTimeout;
    private final List<AllowRule> allow;
    private final List<DenyRule> deny;
    private final boolean requireSignature;
    private final Path approvedFile;
    private final List<AllowRule> approved;
    private final List<TrustedKey> trustedKeys;
    private final String digest;

    private Policy(SecurityMode security, AskMode ask, AskFallback askFallback, Duration approvalTimeout,
                   List<AllowRule> allow, List<DenyRule> deny, boolean requireSignature, Path approvedFile,
                   List<AllowRule> approved, List<TrustedKey> trustedKeys) {
        this.security = security;
        this.ask = ask;
        this.askFallback = askFallback;
        this.approvalTimeout = approvalTimeout;
        this.allow = allow;
        this.deny = deny;
        this.requireSignature = requireSignature;
        this.approvedFile = approvedFile;
        this.approved = approved;
        this.trustedKeys = trustedKeys;
        this.digest = CanonicalPolicy.digest(this);
    }

    /** Reads the policy file; relative {@code approvedFile} and the default {@code approved.yaml} are next to it. */
    public static Policy load(Path file) throws PolicyException {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new PolicyException("The policy file " + file.toAbsolutePath() + " does not exist. A policy file says what this "
                    + "node may run: docs/POLICY.md has the format and examples for Windows and Linux; check one with "
                    + "hostops policy check --policy FILE", e);
        } catch (IOException e) {
            throw new PolicyException("The policy file " + file.toAbsolutePath() + " " + FileErrors.describe(e), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return PolicyReader.read(yaml, dir, file.toString());
    }

    /**
     * Parses policy YAML. {@code baseDirForRelativeFiles} is where a relative {@code approvedFile} and the default
     * {@code approved.yaml} live; null means no approved file unless the policy names an absolute one.
     */
    public static Policy parse(String yaml, Path baseDirForRelativeFiles) throws PolicyException {
        return PolicyReader.read(yaml, baseDirForRelativeFiles, "policy");
    }

    /**
     * A policy from values (tests, {@link #demo}); checked like a file.
     *
     * @param approvedFile where "allow always" entries are written, or null to keep them in memory only
     */
    public static Policy of(SecurityMode security, AskMode ask, AskFallback askFallback, Duration approvalTimeout,
                            List<AllowRule> allow, List<DenyRule> deny, boolean requireSignature, Path approvedFile,
                            List<AllowRule> approved) throws PolicyException {
        Objects.requireNonNull(security, "security must not be null");
        Objects.requireNonNull(ask, "ask must not be null");
        Objects.requireNonNull(askFallback, "askFallback must not be null");
        Objects.requireNonNull(approvalTimeout, "approvalTimeout must not be null");
        List<AllowRule> approvedRules = approved == null ? List.of() : approved;
        if (approvalTimeout.isNegative() || approvalTimeout.isZero()) {
            throw new PolicyException("policy: key 'approvalTimeout' must be positive");
        }
        RuleChecks.check(allow, deny, "policy");
        RuleChecks.checkApproved(approvedRules, approvedFile == null ? "approved" : approvedFile.toString());
        return new Policy(security, ask, askFallback, approvalTimeout, List.copyOf(allow), List.copyOf(deny),
                requireSignature, approvedFile, List.copyOf(approvedRules), List.of());
    }

    /**
     * A safe policy for the quickstart on this machine: allowlist with ask on-miss, the host's own git and docker
     * (found in PATH now and pinned by real path) with the arguments docs/POLICY.md lists, inside {@code workdirRoot} only, and the
     * usual deny rules. The policy has no approved file of its own: the quickstart writes it to
     * {@code <data-dir>/policy.yaml} and its agent reads that file, so "allow always" goes to
     * {@code approved.yaml} beside it.
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

    /** What happens to a command nobody approved or denied in time. */
    public AskFallback askFallback() {
        return askFallback;
    }

    public boolean requireSignature() {
        return requireSignature;
    }

    /** The keys whose signatures this node accepts (docs/SIGNING.md); empty unless the file lists some. */
    public List<TrustedKey> trustedKeys() {
        return trustedKeys;
    }

    /** This policy with {@code trustedKeys} instead of its own. */
    public Policy withTrustedKeys(List<TrustedKey> keys) {
        return new Policy(security, ask, askFallback, approvalTimeout, allow, deny, requireSignature, approvedFile,
                approved, List.copyOf(keys));
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
