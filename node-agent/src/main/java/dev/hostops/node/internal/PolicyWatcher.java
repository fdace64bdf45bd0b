package dev.hostops.node.internal;

import dev.hostops.contracts.audit.AuditSink;
import dev.hostops.node.policy.HostModel;
import dev.hostops.node.policy.Policy;
import dev.hostops.node.policy.PolicyEngine;
import dev.hostops.node.policy.PolicyException;
import dev.hostops.node.policy.PolicyLint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an edited policy in force without a restart, which would cancel the commands running (a
 * long {@code docker compose up --build}, say). Every {@link #POLL} it reads the policy file and
 * the approved file it names; when their bytes changed, it loads the policy exactly as at start.
 * A valid one is handed to the agent for every command judged from then on (commands already
 * judged keep their verdict), and an audit line records the change. An invalid one is refused:
 * an error in the log and an audit line, and the policy in force stays, so an edit can never
 * leave the node without a policy, or with half of one. Nothing on the broker can trigger this:
 * only the files on the host.
 */
public final class PolicyWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyWatcher.class);
    /** How often the files are read: an edit is in force within this long. */
    public static final Duration POLL = Duration.ofSeconds(2);

    private final Path file;
    private final HostModel host;
    private final NodeAudit audit;
    private final Consumer<PolicyEngine> inForce;
    private volatile Policy current;
    private byte[] seen;

    /**
     * @param loaded  the policy the agent started with (recorded as loaded in the audit log)
     * @param inForce takes each new policy's engine; called on the polling thread
     */
    public PolicyWatcher(Path file, Policy loaded, HostModel host, AuditSink audit, String node, Consumer<PolicyEngine> inForce) {
        this.file = file;
        this.host = host;
        this.audit = new NodeAudit(audit, node);
        this.inForce = inForce;
        this.current = loaded;
        this.seen = fingerprint(loaded);
        this.audit.policyLoaded(file.toString(), loaded.digest(), null);
        warnAboutDeadEntries(loaded);
    }

    /** The policy in force now. */
    public Policy current() {
        return current;
    }

    /** Reads the files and, when they changed, loads the policy. Never throws: it runs on a timer. */
    public void check() {
        try {
            byte[] now = fingerprint(current);
            if (Arrays.equals(now, seen)) {
                return;
            }
            seen = now;
            Policy next;
            try {
                next = Policy.load(file);
            } catch (PolicyException e) {
                LOG.error("policy {} changed but cannot be used, so the policy in force ({}) stays: {}", file,
                        current.digest(), e.getMessage());
                audit.policyRefused(file.toString(), current.digest(), e.getMessage());
                return;
            }
            if (next.digest().equals(current.digest())) {
                return; // saved again, or only comments and spacing changed: the same policy
            }
            PolicyEngine engine = new PolicyEngine(next, host);
            warnAboutDeadEntries(next);
            String previous = current.digest();
            inForce.accept(engine);
            current = next;
            audit.policyLoaded(file.toString(), next.digest(), previous);
            LOG.info("policy {} changed and is in force: {} (security {}, ask {}), was {}", file, next.digest(),
                    next.security().wire(), next.ask().wire(), previous);
        } catch (RuntimeException e) {
            LOG.error("checking the policy file {} failed; will look again: {}", file, e.toString());
        }
    }

    /**
     * Entries that can never match on this host: not a reason to refuse a policy (the rest of it
     * works), but the log is where an administrator looks when a command meant to be allowed is not.
     */
    private void warnAboutDeadEntries(Policy policy) {
        PolicyLint.check(policy, host).forEach(w -> LOG.warn("policy {}: {}", file, w));
    }

    /** SHA-256 over the policy file and the approved file the policy in force names ("missing" for one that is not there). */
    private byte[] fingerprint(Policy policy) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        update(md, file);
        policy.approvedFile().ifPresent(f -> update(md, f));
        return md.digest();
    }

    private static void update(MessageDigest md, Path f) {
        try {
            md.update(Files.readAllBytes(f));
        } catch (NoSuchFileException e) {
            md.update("missing".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            md.update(("unreadable " + e.getMessage()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        md.update((byte) 0);
    }
}
