package dev.hostops.node.policy.internal;

import java.util.List;

/** The policy file exactly as written: the fixed keys of docs/POLICY.md, nothing else. Checked by PolicyFactory. */
public final class PolicyDocument {
    public String security;
    public String ask;
    public String askFallback;
    public String approvalTimeout;
    public List<AllowEntry> allow;
    public List<DenyEntry> deny;
    public Boolean requireSignature;
    public String approvedFile;
    public List<TrustedKeyEntry> trustedKeys;

    /** An {@code allow} entry as written. */
    public static final class AllowEntry {
        public String path;
        public List<String> args;
        public List<String> workdirs;
        public List<String> env;
    }

    /** A {@code deny} entry as written. */
    public static final class DenyEntry {
        public String path;
        public List<String> args;
    }

    /** A {@code trustedKeys} entry as written (docs/SIGNING.md). */
    public static final class TrustedKeyEntry {
        public String id;
        public String name;
        public String file;
        public String publicKey;
        public Boolean canSubmit;
        public Boolean canApprove;
    }
}
