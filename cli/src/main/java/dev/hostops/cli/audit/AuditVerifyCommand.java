package dev.hostops.cli.audit;

import dev.hostops.contracts.audit.AuditProblem;
import dev.hostops.contracts.audit.AuditReport;
import dev.hostops.contracts.audit.AuditVerifier;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hostops audit verify FILE}: exit 0 when the chain is intact, 1 with the first bad line and
 * why (edited, removed, reordered, truncated), 2 when the file cannot be read.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check that no line of an audit log was edited, removed, reordered or cut off.",
        footer = {"", "Exit status: 0 intact, 1 tampered (line and reason on stderr), 2 unreadable.",
                "Lines cut from the end leave a valid, shorter chain: compare the printed last seq and hash "
                        + "with a copy kept elsewhere (--expect-hash).",
                "", "The log is <dataDir>/audit.jsonl: by default ~/.hostops/node-ID/audit.jsonl",
                "for a node, ~/.hostops/dispatcher/audit.jsonl for the dispatcher.",
                "", "Examples:",
                "  hostops audit verify ~/.hostops/node-HostOps-Win/audit.jsonl",
                "  hostops audit verify ~/.hostops/dispatcher/audit.jsonl"})
public final class AuditVerifyCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int TAMPERED = 1;
    static final int UNREADABLE = 2;

    @Parameters(paramLabel = "FILE", description = "The audit log (JSON lines).")
    Path file;

    @Option(names = "--expect-hash", paramLabel = "sha256:HEX",
            description = "The last line's hash as remembered elsewhere; a different last hash means lines were cut from the end.")
    String expectHash;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            System.err.println("hostops audit verify: " + file + " is not a file");
            return UNREADABLE;
        }
        AuditReport report;
        try {
            report = AuditVerifier.verify(file);
        } catch (UncheckedIOException e) {
            System.err.println("hostops audit verify: " + e.getMessage());
            return UNREADABLE;
        }
        if (report.problem().isPresent()) {
            AuditProblem p = report.problem().get();
            System.err.println(file + ": line " + p.line() + ": " + p.reason().name().toLowerCase() + ": " + p.detail());
            return TAMPERED;
        }
        if (expectHash != null && !expectHash.equals(report.lastHash())) {
            System.err.println(file + ": line " + Math.max(report.lines(), 1) + ": removed: the last hash is "
                    + report.lastHash() + ", expected " + expectHash + " (lines were cut from the end, or it grew since)");
            return TAMPERED;
        }
        System.out.println(file + ": ok, " + report.lines() + " lines, last seq " + report.lastSeq() + ", last hash " + report.lastHash());
        return OK;
    }
}
