package dev.hostops.node.policy.internal;

import java.util.List;

/** The approved file as written: entries an approver allowed "always". */
public final class ApprovedDocument {
    public List<Entry> approved;

    /** One approved entry as written. */
    public static final class Entry {
        public String path;
        public List<String> args;
        public List<String> workdirs;
        public List<String> env;
        public String approvedAt;
    }
}
