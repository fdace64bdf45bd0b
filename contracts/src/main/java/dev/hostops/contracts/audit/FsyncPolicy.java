package dev.hostops.contracts.audit;

/** When {@link AuditLog} forces its writes to the disk. */
public enum FsyncPolicy {
    /** After every line: a line that was appended survives a power loss. The default. */
    EVERY_LINE,
    /** Leave it to the operating system: faster, a crash may lose the last lines. For tests and benchmarks. */
    NEVER
}
