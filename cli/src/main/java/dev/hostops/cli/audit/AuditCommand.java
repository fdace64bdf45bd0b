package dev.hostops.cli.audit;

import picocli.CommandLine.Command;

/** {@code hostops audit ...}: tools for the hash-chained audit logs of nodes and dispatchers. */
@Command(name = "audit", description = "Check the audit logs written by node agents and the dispatcher.",
        mixinStandardHelpOptions = true, subcommands = {AuditVerifyCommand.class})
public final class AuditCommand {}
