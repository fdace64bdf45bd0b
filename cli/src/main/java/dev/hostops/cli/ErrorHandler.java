package dev.hostops.cli;

import picocli.CommandLine;

/**
 * Turns an exception from a command into one clear line on stderr and exit code 2 (1 is kept for
 * "the remote command failed"). A stack trace only with HOSTOPS_DEBUG=1.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int USAGE_OR_SETUP_ERROR = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        Throwable t = e;
        while ((t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        // The whole command path ("hostops node install"), so a nested command's error says where it came from.
        cli.getErr().println(cli.getCommandSpec().qualifiedName() + ": " + (t.getMessage() == null ? t.toString() : t.getMessage()));
        if ("1".equals(System.getenv("HOSTOPS_DEBUG"))) {
            e.printStackTrace(cli.getErr());
        }
        return USAGE_OR_SETUP_ERROR;
    }
}
